import { describe, expect, it } from "vitest";
import type { ManifestIssue } from "./issues.js";
import { PLUGIN_KINDS, type PluginKind } from "./kinds/built-in-kinds.js";
import { withField, withFields, withoutField } from "./testing/edit-manifest.js";
import {
  actionExecutorExample,
  channelExample,
  connectionProviderExample,
  EXAMPLE_MANIFESTS,
  exampleOf,
  hookExample,
  ruleOperatorExample,
  workerPackExample,
} from "./testing/example-manifests.js";
import { validateManifest } from "./validate-manifest.js";

function issuesOf(input: unknown): readonly ManifestIssue[] {
  const result = validateManifest(input);
  if (result.success) throw new Error("expected the manifest to be rejected");
  return result.issues;
}

const everyKindListed = PLUGIN_KINDS.map((name) => `"${name}"`).join(", ");

describe("validateManifest on valid manifests", () => {
  it.each(Object.keys(EXAMPLE_MANIFESTS) as PluginKind[])(
    "accepts the %s example and returns it with its kind definition",
    (kind) => {
      const result = validateManifest(exampleOf(kind));
      expect(result.success).toBe(true);
      if (!result.success) return;
      expect(result.manifest).toEqual(EXAMPLE_MANIFESTS[kind]);
      expect(result.kind.name).toBe(kind);
    },
  );

  it("accepts a manifest whose optional fields are absent", () => {
    const bare = ["configSchema", "uiSchema", "permissions", "runtime", "category"].reduce(
      (manifest, field) => withoutField(manifest, field),
      exampleOf("hook"),
    );
    expect(validateManifest(bare).success).toBe(true);
  });

  it("accepts a manifest object that has no prototype", () => {
    const bare = Object.assign(Object.create(null), exampleOf("hook"));
    expect(validateManifest(bare).success).toBe(true);
  });
});

describe("validateManifest on inputs that are not manifest objects", () => {
  const notObjects: Array<[string, unknown]> = [
    ["null", null],
    ["undefined", undefined],
    ["an empty array", []],
    ["an array holding a valid manifest", [exampleOf("hook")]],
    ["a string", "hook"],
    ["the JSON text of a valid manifest", JSON.stringify(hookExample)],
    ["a number", 42],
    ["NaN", Number.NaN],
    ["a boolean", true],
    ["a bigint", 10n],
    ["a symbol", Symbol("manifest")],
    ["a function", () => hookExample],
    ["a function carrying every manifest field", Object.assign(() => {}, hookExample)],
  ];

  it.each(notObjects)("rejects %s with one issue at the root", (_label, input) => {
    expect(issuesOf(input)).toEqual([
      { path: "", code: "invalid_type", message: "expected a manifest object" },
    ]);
  });
});

describe("validateManifest on the kind field", () => {
  it("reports a missing kind at `kind`, listing every kind", () => {
    expect(issuesOf(withoutField(hookExample, "kind"))).toEqual([
      {
        path: "kind",
        code: "invalid_type",
        message: `expected one of ${everyKindListed}, received nothing (the field is missing)`,
      },
    ]);
  });

  it("reports an unknown kind at `kind`, naming the value it received", () => {
    expect(issuesOf(withField(hookExample, "kind", "fax_provider"))).toEqual([
      {
        path: "kind",
        code: "invalid_value",
        message: `expected one of ${everyKindListed}, received "fax_provider"`,
      },
    ]);
  });

  it.each<[string, unknown, string]>([
    ["a number", 7, "number"],
    ["null", null, "object"],
    ["an array of a kind name", ["hook"], "object"],
    ["an object", { name: "hook" }, "object"],
    ["a boolean", true, "boolean"],
  ])("reports a kind that is %s at `kind` by its type", (_label, kind, type) => {
    expect(issuesOf(withField(hookExample, "kind", kind))).toEqual([
      {
        path: "kind",
        code: "invalid_type",
        message: `expected one of ${everyKindListed}, received a value of type ${type}`,
      },
    ]);
  });

  it("does not match kind names loosely", () => {
    for (const kind of ["Hook", " hook", "hook ", "HOOK", "hooks"]) {
      expect(issuesOf(withField(hookExample, "kind", kind))[0]?.path).toBe("kind");
    }
  });
});

describe("validateManifest on unknown fields", () => {
  it.each<[string, object, string]>([
    ["top level", hookExample, "colour"],
    ["engines", hookExample, "engines.node"],
    ["a setup step", connectionProviderExample, "setupSteps[1].extra"],
    ["a setup step's target", connectionProviderExample, "setupSteps[1].target.bogus"],
    ["a config property", hookExample, "configSchema.properties.maxRequests.widget"],
    ["a UI hint", hookExample, "uiSchema.maxRequests.colour"],
    ["an HTTP operation", channelExample, "runtime.operations.send_fax.weird"],
    ["HTTP auth", channelExample, "runtime.auth.realm"],
    ["a module runtime", hookExample, "runtime.main"],
    ["a rule operator", ruleOperatorExample, "conditions[0].label"],
    ["a connector schedule", exampleOf("connector"), "schedule.cron"],
  ])("reports an unknown field in %s at its exact path", (_where, manifest, path) => {
    const name = path
      .split(/[.[\]]/)
      .filter(Boolean)
      .at(-1);
    expect(issuesOf(withField(manifest, path, 1))).toEqual([
      { path, code: "unrecognized_key", message: `unknown field "${name}"` },
    ]);
  });

  it("reports each unknown field separately, even when they sit in one object", () => {
    const manifest = withFields(hookExample, { colour: "red", size: 3 });
    expect(issuesOf(manifest)).toEqual([
      { path: "colour", code: "unrecognized_key", message: 'unknown field "colour"' },
      { path: "size", code: "unrecognized_key", message: 'unknown field "size"' },
    ]);
  });

  it("reports a field of another kind as unknown", () => {
    expect(issuesOf(withField(hookExample, "workerPackId", "follow_up_v1"))).toEqual([
      { path: "workerPackId", code: "unrecognized_key", message: 'unknown field "workerPackId"' },
    ]);
  });

  it("reports a `__proto__` field parsed from JSON as unknown", () => {
    const manifest = JSON.parse(
      JSON.stringify(hookExample).replace("{", '{"__proto__":{"polluted":true},'),
    );
    expect(issuesOf(manifest)).toEqual([
      { path: "__proto__", code: "unrecognized_key", message: 'unknown field "__proto__"' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("validateManifest issue paths and messages", () => {
  it("formats a path into a list as `setupSteps[1].ctaLabel`", () => {
    expect(issuesOf(withField(connectionProviderExample, "setupSteps[1].ctaLabel", ""))).toEqual([
      {
        path: "setupSteps[1].ctaLabel",
        code: "too_small",
        message: "expected at least 1 character(s)",
      },
    ]);
  });

  it("formats a path through a record as `runtime.operations.send_fax.method`", () => {
    expect(
      issuesOf(withField(channelExample, "runtime.operations.send_fax.method", "FETCH")),
    ).toEqual([
      {
        path: "runtime.operations.send_fax.method",
        code: "invalid_value",
        message: 'expected one of "GET", "POST", "PUT", "PATCH", "DELETE", received "FETCH"',
      },
    ]);
  });

  it("quotes a record key that is not an identifier and says what a key must look like", () => {
    const manifest = withField(hookExample, "uiSchema", {
      maxRequests: { widget: "number" },
      "max requests": { widget: "number" },
    });
    expect(issuesOf(manifest)).toEqual([
      {
        path: 'uiSchema["max requests"]',
        code: "invalid_key",
        message:
          'key "max requests" is not allowed: expected a string matching /^[A-Za-z][A-Za-z0-9_]*$/, received "max requests"',
      },
    ]);
  });

  it("names the operation grammar when an HTTP operation name is not snake_case", () => {
    const operations = { ...channelExample.runtime, operations: { "Send-Fax": { method: "GET" } } };
    const [issue] = issuesOf(withField(channelExample, "runtime", operations));
    expect(issue?.path).toBe('runtime.operations["Send-Fax"]');
    expect(issue?.message).toContain("expected a snake_case operation name such as send_fax");
  });

  it("names the expected type and what it received", () => {
    expect(issuesOf(withField(hookExample, "version", 1))).toEqual([
      { path: "version", code: "invalid_type", message: "expected a string, received 1" },
    ]);
    expect(issuesOf(withField(hookExample, "timeoutMs", "50"))).toEqual([
      { path: "timeoutMs", code: "invalid_type", message: 'expected a number, received "50"' },
    ]);
    expect(issuesOf(withField(hookExample, "permissions", "storage:read"))).toEqual([
      {
        path: "permissions",
        code: "invalid_type",
        message: 'expected an array, received "storage:read"',
      },
    ]);
  });

  it("says a required field is missing", () => {
    expect(issuesOf(withoutField(hookExample, "failMode"))).toEqual([
      {
        path: "failMode",
        code: "invalid_value",
        message: 'expected one of "open", "closed", received nothing (the field is missing)',
      },
    ]);
    expect(issuesOf(withoutField(workerPackExample, "setupSteps"))).toEqual([
      {
        path: "setupSteps",
        code: "invalid_type",
        message: "expected an array, received nothing (the field is missing)",
      },
    ]);
  });

  it("names the id convention of the kind when an id does not follow it", () => {
    expect(issuesOf(withField(workerPackExample, "id", "worker_pack.follow_up"))).toEqual([
      {
        path: "id",
        code: "invalid_format",
        message: "expected an id of the form worker-pack.<name>",
      },
    ]);
  });

  it("rejects a worker pack id without a version suffix, naming the form", () => {
    expect(issuesOf(withField(workerPackExample, "workerPackId", "follow_up"))).toEqual([
      {
        path: "workerPackId",
        code: "invalid_format",
        message:
          "expected a snake_case runtime pack id with a version suffix, such as follow_up_v1",
      },
    ]);
  });

  it("names the bounds of numbers and lists", () => {
    expect(issuesOf(withField(hookExample, "timeoutMs", 60_000))[0]?.message).toBe(
      "expected a value of at most 30000",
    );
    expect(issuesOf(withField(hookExample, "priority", -1))[0]?.message).toBe(
      "expected a value of at least 0",
    );
    expect(issuesOf(withField(workerPackExample, "outputKinds", []))[0]).toEqual({
      path: "outputKinds",
      code: "too_small",
      message: "expected at least 1 item(s)",
    });
  });

  it("names the grammar of permissions and versions", () => {
    expect(issuesOf(withField(hookExample, "permissions[1]", "storage:delete"))).toEqual([
      {
        path: "permissions[1]",
        code: "invalid_format",
        message: expect.stringContaining("expected one of network:outbound:<host>[:<port>]"),
      },
    ]);
    expect(issuesOf(withField(hookExample, "engines.plugboard", "latest"))[0]).toEqual({
      path: "engines.plugboard",
      code: "invalid_format",
      message: "expected a semver range such as ^1.0.0",
    });
  });

  it("lists the tags there are when a tagged union gets an unknown tag", () => {
    expect(issuesOf(withField(channelExample, "runtime.auth", { scheme: "digest" }))).toEqual([
      {
        path: "runtime.auth.scheme",
        code: "invalid_union",
        message:
          'expected one of "none", "basic", "bearer", "api_key_header", "api_key_query", received "digest"',
      },
    ]);
    const untagged = withField(actionExecutorExample, "runtime", { entry: "dist/index.js" });
    expect(issuesOf(untagged)).toEqual([
      {
        path: "runtime.type",
        code: "invalid_union",
        message: 'expected one of "module", "http", received nothing (the field is missing)',
      },
    ]);
  });

  it("returns every issue of the manifest, not only the first", () => {
    const manifest = withFields(workerPackExample, {
      version: "one",
      defaultScope: "team",
      "setupSteps[0].id": "Connect Mail",
      owner: "me",
    });
    expect(
      issuesOf(manifest)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(["defaultScope", "owner", "setupSteps[0].id", "version"]);
  });
});

describe("validateManifest after a JSON round trip", () => {
  const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it.each(Object.keys(EXAMPLE_MANIFESTS) as PluginKind[])(
    "accepts the %s example read back from JSON, with the same result",
    (kind) => {
      const example = exampleOf(kind);
      expect(validateManifest(roundTrip(example))).toEqual(validateManifest(example));
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ["a bad enum", withField(hookExample, "ring", "outer")],
    ["a missing field", withoutField(workerPackExample, "outputKinds")],
    ["an unknown nested field", withField(connectionProviderExample, "setupSteps[1].x", true)],
    ["a bad HTTP method", withField(channelExample, "runtime.operations.send_fax.method", "GO")],
    ["an unknown kind", withField(hookExample, "kind", "plugin")],
  ])("reports the same issues for a manifest with %s read back from JSON", (_label, manifest) => {
    expect(validateManifest(roundTrip(manifest))).toEqual(validateManifest(manifest));
  });
});
