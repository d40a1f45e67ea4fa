import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AuditListResponseWireSchema,
  PluginChangeResultWireSchema,
  PluginDetailResponseWireSchema,
  PluginUninstallResultWireSchema,
  ProblemDetailsWireSchema,
  RegistryResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failInsertsInto } from "./injected-failure.js";
import { bundleOf, packageTarball } from "./package-tarball.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  AUDIT_HOOK_ID,
  auditHook,
  crmWorkerPack,
  firstPartyCopy,
  hookCode,
} from "./third-party-manifests.js";

const bundle = (version: string, id = AUDIT_HOOK_ID) =>
  bundleOf(
    packageTarball({
      name: "@acme/audit-hook",
      version,
      files: { "dist/index.js": `${hookCode(id)}// ${version}\n` },
    }),
  );

describe("plugin lifecycle", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-lifecycle", {
      PLUGBOARD_INSTALL_ALLOWLIST: "@acme/*",
    });
  });
  afterAll(() => server.stop());

  const install = (version: string, id = AUDIT_HOOK_ID) =>
    server.request("POST", "/v1/plugins", {
      body: { manifest: auditHook(version, { id }), bundle: bundle(version, id) },
    });
  const rollback = (id: string, body: unknown = {}) =>
    server.request("POST", `/v1/plugins/${id}/rollback`, { body });
  const versionFolders = (id: string): string[] => {
    const dir = join(server.dataDir, "plugins", id);
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };
  async function refusal(response: Response, status: number) {
    expect(response.status).toBe(status);
    return ProblemDetailsWireSchema.parse(await response.json());
  }
  async function detail(id: string) {
    const response = await server.request("GET", `/v1/plugins/${id}`);
    expect(response.status).toBe(200);
    return PluginDetailResponseWireSchema.parse(await response.json());
  }

  it("upgrades to a newer version and keeps the previous one's files for rollback", async () => {
    expect((await install("1.0.0")).status).toBe(201);
    const response = await install("1.1.0");
    expect(response.status).toBe(201);
    const result = PluginChangeResultWireSchema.parse(await response.json());
    expect(result.replaced_version).toBe("1.0.0");
    expect(result.plugin.installation.installed_version).toBe("1.1.0");
    expect(result.versions.map((v) => [v.version, v.installed])).toEqual([
      ["1.1.0", true],
      ["1.0.0", false],
    ]);
    expect(versionFolders(AUDIT_HOOK_ID)).toEqual([
      expect.stringMatching(/^1\.0\.0-/),
      expect.stringMatching(/^1\.1\.0-/),
    ]);
  });

  it("refuses the installed version again, and an older one, with 409 at manifest.version", async () => {
    const same = await refusal(await install("1.1.0"), 409);
    expect(same.errors[0]).toMatchObject({ path: "manifest.version", code: "version_installed" });
    const older = await refusal(await install("0.9.0"), 409);
    expect(older.errors[0]).toMatchObject({ path: "manifest.version", code: "version_older" });
  });

  it("rolls back to the previous version, removing the newer version's files", async () => {
    const stale = await refusal(await rollback(AUDIT_HOOK_ID, { from_version: "1.0.0" }), 409);
    expect(stale.errors[0]).toMatchObject({ path: "from_version", code: "version_changed" });

    const response = await rollback(AUDIT_HOOK_ID, { from_version: "1.1.0" });
    expect(response.status).toBe(200);
    const result = PluginChangeResultWireSchema.parse(await response.json());
    expect(result.replaced_version).toBe("1.1.0");
    expect(result.plugin.installation.installed_version).toBe("1.0.0");
    expect(result.versions.map((v) => [v.version, v.installed])).toEqual([["1.0.0", true]]);
    expect(versionFolders(AUDIT_HOOK_ID)).toEqual([expect.stringMatching(/^1\.0\.0-/)]);

    const none = await refusal(await rollback(AUDIT_HOOK_ID), 409);
    expect(none.errors[0]).toMatchObject({ path: "id", code: "no_previous_version" });
  });

  it("shows enabling and disabling in the registry, for first-party plugins too", async () => {
    const installation = async (id: string) => {
      const registry = RegistryResponseWireSchema.parse(
        await (await server.request("GET", "/v1/registry")).json(),
      );
      return registry.kinds.hook.find((entry) => entry.id === id)?.installation;
    };
    for (const id of [AUDIT_HOOK_ID, "hook.rate-limit"]) {
      const off = await server.request("PATCH", `/v1/plugins/${id}`, { body: { enabled: false } });
      expect(off.status).toBe(200);
      expect(
        PluginDetailResponseWireSchema.parse(await off.json()).plugin.installation.enabled,
      ).toBe(false);
      expect(await installation(id)).toMatchObject({ enabled: false });
      await server.restart();
      expect(await installation(id)).toMatchObject({ enabled: false });
      expect(
        (await server.request("PATCH", `/v1/plugins/${id}`, { body: { enabled: true } })).status,
      ).toBe(200);
      expect(await installation(id)).toMatchObject({ enabled: true });
    }
  });

  it("records every change in the audit log with its actor and versions", async () => {
    const response = await server.request("GET", `/v1/audit?target=${AUDIT_HOOK_ID}&limit=50`);
    expect(response.status).toBe(200);
    const { entries } = AuditListResponseWireSchema.parse(await response.json());
    expect(
      entries.map((e) => [e.action, e.before_revision, e.after_revision, e.actor]).reverse(),
    ).toEqual([
      ["plugin.install", null, "1.0.0", "admin"],
      ["plugin.upgrade", "1.0.0", "1.1.0", "admin"],
      ["plugin.rollback", "1.1.0", "1.0.0", "admin"],
      ["plugin.disable", "1.0.0", "1.0.0", "admin"],
      ["plugin.enable", "1.0.0", "1.0.0", "admin"],
    ]);
  });

  it("leaves no rows and no files when the database fails midway through a first install", async () => {
    const restore = await failInsertsInto(server, "plugin_versions");
    try {
      const response = await install("1.0.0", "hook.acme-doomed");
      expect(response.status).toBe(500);
    } finally {
      await restore();
    }
    expect((await server.request("GET", "/v1/plugins/hook.acme-doomed")).status).toBe(404);
    expect(versionFolders("hook.acme-doomed")).toEqual([]);
    const staging = join(server.dataDir, "plugins", ".staging");
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
  });

  it("keeps the previous version's rows and files when an upgrade fails midway", async () => {
    const before = await detail(AUDIT_HOOK_ID);
    const foldersBefore = versionFolders(AUDIT_HOOK_ID);
    const restore = await failInsertsInto(server, "plugin_versions");
    try {
      expect((await install("2.0.0")).status).toBe(500);
    } finally {
      await restore();
    }
    expect(await detail(AUDIT_HOOK_ID)).toEqual(before);
    expect(versionFolders(AUDIT_HOOK_ID)).toEqual(foldersBefore);
    // The same upgrade goes through once the database accepts it.
    expect((await install("2.0.0")).status).toBe(201);
  });

  it("removes leftover bundle folders no version refers to when it starts", async () => {
    const stray = join(server.dataDir, "plugins", AUDIT_HOOK_ID, "9.9.9-000000000000");
    const staging = join(server.dataDir, "plugins", ".staging", "abandoned");
    mkdirSync(stray, { recursive: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(stray, "index.js"), "left over");
    await server.restart();
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(staging)).toBe(false);
    expect(versionFolders(AUDIT_HOOK_ID)).toEqual([
      expect.stringMatching(/^1\.0\.0-/),
      expect.stringMatching(/^2\.0\.0-/),
    ]);
  });

  it("uninstalls a third-party plugin with every version and file", async () => {
    const response = await server.request("DELETE", `/v1/plugins/${AUDIT_HOOK_ID}`);
    expect(response.status).toBe(200);
    expect(PluginUninstallResultWireSchema.parse(await response.json())).toEqual({
      id: AUDIT_HOOK_ID,
      removed_versions: ["2.0.0", "1.0.0"],
    });
    expect((await server.request("GET", `/v1/plugins/${AUDIT_HOOK_ID}`)).status).toBe(404);
    expect(versionFolders(AUDIT_HOOK_ID)).toEqual([]);
    await server.restart();
    expect((await server.request("GET", `/v1/plugins/${AUDIT_HOOK_ID}`)).status).toBe(404);
  });

  it("refuses to uninstall a first-party plugin, which it can only disable", async () => {
    const problem = await refusal(
      await server.request("DELETE", "/v1/plugins/hook.rate-limit"),
      409,
    );
    expect(problem.errors[0]).toMatchObject({ path: "id", code: "first_party" });
    expect((await detail("hook.rate-limit")).plugin.installation.installed_version).toBe("1.0.0");
  });

  it("refuses to uninstall a plugin another installed plugin needs, naming where", async () => {
    const provider = {
      ...firstPartyCopy("provider.smtp-relay"),
      id: "provider.acme-crm",
      provider: "acme_crm",
      owner: "third_party",
    };
    const pack = crmWorkerPack({ requiredConnectionProviders: ["acme_crm"] });
    for (const manifest of [provider, pack]) {
      const response = await server.request("POST", "/v1/plugins", { body: { manifest } });
      expect(response.status).toBe(201);
    }
    const problem = await refusal(
      await server.request("DELETE", "/v1/plugins/provider.acme-crm"),
      409,
    );
    expect(problem.errors).toContainEqual(
      expect.objectContaining({
        path: 'registry["worker-pack.acme-crm"].requiredConnectionProviders[0]',
        code: "unresolved_reference",
      }),
    );
    expect((await server.request("DELETE", "/v1/plugins/worker-pack.acme-crm")).status).toBe(200);
    expect((await server.request("DELETE", "/v1/plugins/provider.acme-crm")).status).toBe(200);
  });

  it("answers 404 naming the id for every lifecycle route on an unknown plugin", async () => {
    for (const [method, path, body] of [
      ["PATCH", "/v1/plugins/hook.not-here", { enabled: false }],
      ["POST", "/v1/plugins/hook.not-here/rollback", {}],
      ["DELETE", "/v1/plugins/hook.not-here", undefined],
    ] as const) {
      const problem = await refusal(await server.request(method, path, { body }), 404);
      expect(problem.errors[0]).toMatchObject({ path: "id" });
    }
  });

  it("requires admin:plugins:write for every lifecycle route", async () => {
    const created = await server.request("POST", "/v1/tokens", {
      body: { name: "reader", scopes: ["admin:plugins:read"] },
    });
    const { token } = (await created.json()) as { token: string };
    for (const [method, path, body] of [
      ["PATCH", "/v1/plugins/hook.rate-limit", { enabled: false }],
      ["POST", "/v1/plugins/hook.rate-limit/rollback", {}],
      ["DELETE", "/v1/plugins/hook.rate-limit", undefined],
    ] as const) {
      expect((await server.request(method, path, { body, token: null })).status).toBe(401);
      expect((await server.request(method, path, { body, token })).status).toBe(403);
    }
    expect((await detail("hook.rate-limit")).plugin.installation.enabled).toBe(true);
  });
});
