import {
  BUILT_IN_KINDS,
  createKindSet,
  defineKind,
  kindIdPattern,
  ModuleRuntimeSchema,
  PLUGBOARD_API_VERSION,
} from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { specIdentity, validatePluginManifest, validatePluginSpec } from "./plugin-spec.js";
import { answeringSpec, moduleHook } from "./testing/lifecycle-fixtures.js";

const { runtime: _runtime, ...withoutRuntime } = moduleHook("hook.bare");

describe("validatePluginManifest", () => {
  it("returns the manifest and what the lifecycle reads from it", () => {
    const result = validatePluginManifest(moduleHook("hook.answer", "1.4.0"));
    expect(result).toMatchObject({
      ok: true,
      plugin: { id: "hook.answer", version: "1.4.0", kind: "hook", entry: "dist/plugin.js" },
    });
  });

  it("passes on the manifest's own issues with their paths", () => {
    const result = validatePluginManifest({ ...moduleHook(), timeoutMs: 0 });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual(["timeoutMs"]);
  });

  it("refuses an engines range that does not admit the runtime's plugin API version", () => {
    const result = validatePluginManifest(
      moduleHook("hook.next", "1.0.0", {
        engines: { plugboard: "^2.0.0" },
      }),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: "engines.plugboard",
          code: "engines_incompatible",
          message: `range "^2.0.0" does not admit the plugin API version ${PLUGBOARD_API_VERSION} this runtime implements`,
        },
      ],
    });
  });

  it("refuses a manifest without a runtime, naming the field", () => {
    const result = validatePluginManifest(withoutRuntime);
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: "runtime", code: "module_runtime_missing" }],
    });
  });

  it("refuses a declarative HTTP runtime, which the HTTP interpreter runs instead", () => {
    const channel = {
      kind: "channel",
      id: "channel.example.sms",
      version: "1.0.0",
      displayName: "Example SMS",
      description: "Sends text messages.",
      owner: "third_party",
      stability: "experimental",
      engines: { plugboard: "^1.0.0" },
      permissions: ["network:outbound:api.example.com"],
      channelType: "sms",
      operations: ["send_message"],
      runtime: {
        type: "http",
        allowedDomains: ["api.example.com"],
        auth: { scheme: "none" },
        operations: {
          send_message: {
            method: "POST",
            url: "https://api.example.com/messages",
            body: { encoding: "form", fields: { to: "{{ message.to }}" } },
          },
        },
      },
    };
    const result = validatePluginManifest(channel);
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: "runtime.type", code: "module_runtime_missing" }],
    });
  });

  it("accepts a kind the host registered, when given the host's kinds", () => {
    const gatewayKind = defineKind({
      name: "fax_gateway",
      idPattern: kindIdPattern("fax-gateway", 1),
      idConvention: "fax-gateway.<vendor>",
      fields: { runtime: ModuleRuntimeSchema },
    });
    const kinds = createKindSet([...BUILT_IN_KINDS, gatewayKind]);
    const { ring: _ring, priority: _priority, timeoutMs: _t, failMode: _f, ...base } = moduleHook();
    const gateway = { ...base, kind: "fax_gateway", id: "fax-gateway.phaxline" };
    expect(validatePluginManifest(gateway).ok).toBe(false);
    expect(validatePluginManifest(gateway, { kinds })).toMatchObject({
      ok: true,
      plugin: { id: "fax-gateway.phaxline", kind: "fax_gateway" },
    });
  });
});

describe("validatePluginSpec", () => {
  it("accepts a spec with a runnable manifest, a key and a bundle", () => {
    expect(validatePluginSpec(answeringSpec("hook.answer", "1.0.0"))).toMatchObject({ ok: true });
  });

  it("refuses an empty key and an empty bundle as fields of the spec", () => {
    const spec = { ...answeringSpec("hook.answer", "1.0.0"), key: "", source: "" };
    const result = validatePluginSpec(spec);
    expect(result.ok ? [] : result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      ["key", "invalid_key"],
      ["source", "invalid_source"],
    ]);
  });
});

describe("specIdentity", () => {
  it("reads the id and version of a manifest that does not validate, or leaves them empty", () => {
    const spec = answeringSpec("hook.answer", "2.0.0");
    expect(specIdentity({ ...spec, manifest: { id: "hook.x", version: 3 } })).toEqual({
      id: "hook.x",
      version: "",
    });
    expect(specIdentity({ ...spec, manifest: [] })).toEqual({ id: "", version: "" });
  });
});
