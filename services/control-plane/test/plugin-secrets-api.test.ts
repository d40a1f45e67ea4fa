import { mkdtempSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { PluginSecretsResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createAesGcmVault, loadVaultKey } from "../src/secrets/aes-gcm-vault.js";
import { buildControlPlane } from "../src/server.js";
import type { Schema } from "../src/store/schema.js";
import {
  ADMIN_TOKEN,
  type RunningControlPlane,
  startControlPlane,
} from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";

const SMTP = "provider.smtp-relay";
const secretsPath = (id: string) => `/v1/plugins/${id}/secrets`;
// Distinctive values, so a search for them anywhere finds only a real leak.
const PASSWORD = "pw-7Hq2-correct-horse-battery-staple";
const ROTATED = "pw-9Zx4-rotated-password-value";
const SMUGGLED = "sk-live-smuggled-in-an-unknown-key";

describe("plugin secret routes", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("plugin-secrets");
  });
  afterAll(() => server.stop());

  const putSecrets = (secrets: unknown, id = SMTP) =>
    server.request("PUT", secretsPath(id), { body: { secrets } });
  const statuses = async (response: Response) => {
    const text = await response.text();
    return { text, ...PluginSecretsResponseWireSchema.parse(JSON.parse(text)) };
  };
  const withDatabase = <T>(read: (db: Kysely<Schema>) => Promise<T>) =>
    withServerDatabase(server, read);
  const storedRow = (key: string) =>
    withDatabase((db) =>
      db
        .selectFrom("secrets")
        .selectAll()
        .where("plugin_id", "=", SMTP)
        .where("key", "=", key)
        .executeTakeFirst(),
    );
  const vault = () => createAesGcmVault(loadVaultKey(server.dataDir, undefined));

  it("lists every secret key of the manifest as not set before any is stored", async () => {
    const response = await server.request("GET", secretsPath(SMTP));
    expect(response.status).toBe(200);
    const { secrets } = await statuses(response);
    expect(secrets).toEqual(
      ["smtp_host", "smtp_port", "smtp_username", "smtp_password", "smtp_from_address"].map(
        (key) => ({ key, set: false, updated_at: null }),
      ),
    );
  });

  it("stores secrets and answers with which keys are set, never a value", async () => {
    const response = await putSecrets({ smtp_host: "smtp.example.com", smtp_password: PASSWORD });
    expect(response.status).toBe(200);
    const { text, secrets } = await statuses(response);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("smtp.example.com");
    expect(secrets.filter((secret) => secret.set).map((secret) => secret.key)).toEqual([
      "smtp_host",
      "smtp_password",
    ]);
    const listed = await statuses(await server.request("GET", secretsPath(SMTP)));
    expect(listed.text).not.toContain(PASSWORD);
    expect(listed.secrets.find((secret) => secret.key === "smtp_password")?.updated_at).toEqual(
      expect.any(String),
    );
  });

  it("keeps only ciphertext at rest, bound to the plugin and key", async () => {
    const row = await storedRow("smtp_password");
    expect(row).toBeDefined();
    const sealed = row?.sealed ?? "";
    expect(sealed).not.toContain(PASSWORD);
    expect(Buffer.from(sealed, "base64").toString("latin1")).not.toContain(PASSWORD);
    expect(vault().open(SMTP, "smtp_password", sealed)).toBe(PASSWORD);
    expect(() => vault().open(SMTP, "smtp_host", sealed)).toThrow();
  });

  it("keeps the generated vault key in a file only its owner can read", () => {
    const mode = statSync(join(server.dataDir, "secret.key")).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it("refuses a key the manifest does not declare, naming it, storing nothing and echoing no value", async () => {
    const before = await storedRow("smtp_password");
    const response = await putSecrets({ smtp_password: ROTATED, stripe_api_key: SMUGGLED });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).not.toContain(ROTATED);
    expect(text).not.toContain(SMUGGLED);
    const { errors } = ProblemDetailsWireSchema.parse(JSON.parse(text));
    expect(errors).toEqual([
      {
        path: "secrets.stripe_api_key",
        code: "unrecognized_key",
        message: expect.stringContaining("smtp_password"),
      },
    ]);
    expect(await storedRow("smtp_password")).toEqual(before);
  });

  it("echoes no value in any validation error", async () => {
    const bodies: Array<[string, string]> = [
      ["a value of the wrong type", JSON.stringify({ secrets: { smtp_password: [SMUGGLED] } })],
      ["an empty value", JSON.stringify({ secrets: { smtp_password: "", smtp_host: SMUGGLED } })],
      ["a key that is not a secret name", JSON.stringify({ secrets: { "bad key!": SMUGGLED } })],
      [
        "a value that is too long",
        JSON.stringify({ secrets: { smtp_password: SMUGGLED.repeat(3000) } }),
      ],
      ["a field beside secrets", JSON.stringify({ secrets: {}, password: SMUGGLED })],
      ["malformed JSON", `{"secrets": {"smtp_password": ${SMUGGLED}}}`],
      ["a truncated body", `{"secrets": {"smtp_password": "${SMUGGLED}"`],
    ];
    for (const [label, body] of bodies) {
      const response = await server.request("PUT", secretsPath(SMTP), { body });
      expect([400, 422], label).toContain(response.status);
      expect(await response.text(), label).not.toContain(SMUGGLED);
    }
    expect(
      vault().open(SMTP, "smtp_password", (await storedRow("smtp_password"))?.sealed ?? ""),
    ).toBe(PASSWORD);
  });

  it("refuses an empty set of secrets, and any secret for a plugin that declares none", async () => {
    const empty = await putSecrets({});
    expect(empty.status).toBe(422);
    expect(ProblemDetailsWireSchema.parse(await empty.json()).errors[0]?.path).toBe("secrets");
    const none = await putSecrets({ token: SMUGGLED }, "hook.rate-limit");
    expect(none.status).toBe(422);
    const text = await none.text();
    expect(text).toContain("declares no secretKeys");
    expect(text).not.toContain(SMUGGLED);
  });

  it("replaces a stored value and deletes one given null, leaving other keys alone", async () => {
    const response = await putSecrets({ smtp_password: ROTATED, smtp_host: null });
    expect(response.status).toBe(200);
    const { secrets } = await statuses(response);
    expect(secrets.filter((secret) => secret.set).map((secret) => secret.key)).toEqual([
      "smtp_password",
    ]);
    expect(await storedRow("smtp_host")).toBeUndefined();
    expect(
      vault().open(SMTP, "smtp_password", (await storedRow("smtp_password"))?.sealed ?? ""),
    ).toBe(ROTATED);
  });

  it("answers 404 for an unknown plugin and 400 for a malformed id", async () => {
    expect((await server.request("GET", secretsPath("provider.nowhere"))).status).toBe(404);
    const put = await putSecrets({ smtp_password: SMUGGLED }, "provider.nowhere");
    expect(put.status).toBe(404);
    expect(await put.text()).not.toContain(SMUGGLED);
    expect((await server.request("GET", secretsPath("Not-An-Id"))).status).toBe(400);
  });

  it("audits each change by key name, never by value", async () => {
    const rows = await withDatabase((db) =>
      db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "secrets.update")
        .orderBy("id")
        .execute(),
    );
    expect(
      rows.map((row) => [row.actor, row.target, JSON.parse(row.detail_json ?? "null")]),
    ).toEqual([
      ["admin", SMTP, { stored: ["smtp_host", "smtp_password"], deleted: [] }],
      ["admin", SMTP, { stored: ["smtp_password"], deleted: ["smtp_host"] }],
    ]);
    const everything = JSON.stringify(
      await withDatabase((db) => db.selectFrom("audit_log").selectAll().execute()),
    );
    for (const value of [PASSWORD, ROTATED, SMUGGLED]) expect(everything).not.toContain(value);
  });

  it("keeps secrets across a restart, still decryptable with the key file", async () => {
    await server.restart();
    const { secrets } = await statuses(await server.request("GET", secretsPath(SMTP)));
    expect(secrets.find((secret) => secret.key === "smtp_password")?.set).toBe(true);
    expect(
      vault().open(SMTP, "smtp_password", (await storedRow("smtp_password"))?.sealed ?? ""),
    ).toBe(ROTATED);
  });
});

describe("control-plane logs", () => {
  it("contain no secret value, even at trace level and for refused requests", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "plugboard-secret-logs-"));
    let logs = "";
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logs += String(chunk);
        done();
      },
    });
    const config = loadConfig({
      PLUGBOARD_DATA_DIR: dataDir,
      PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: "trace",
    });
    const { app } = await buildControlPlane(config, { logStream });
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const put = (body: string) =>
        fetch(`${base}${secretsPath(SMTP)}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
          body,
        });
      const statuses = [
        (await put(JSON.stringify({ secrets: { smtp_password: PASSWORD } }))).status,
        (await put(JSON.stringify({ secrets: { stripe_api_key: SMUGGLED } }))).status,
        (await put(JSON.stringify({ secrets: { smtp_password: [ROTATED] } }))).status,
        (await put(`{"secrets": {"smtp_password": ${ROTATED}}}`)).status,
      ];
      expect(statuses).toEqual([200, 422, 422, 400]);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(logs).toContain(secretsPath(SMTP));
    for (const value of [PASSWORD, ROTATED, SMUGGLED]) expect(logs).not.toContain(value);
  });
});
