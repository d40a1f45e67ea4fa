import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { MANIFEST_SCHEMA_ID, toManifestJsonSchema } from "./json-schema.js";
import { PLUGIN_KINDS, type PluginKind } from "./kinds/built-in-kinds.js";
import { withField, withFields, withoutField } from "./testing/edit-manifest.js";
import { EXAMPLE_MANIFESTS, exampleOf } from "./testing/example-manifests.js";
import { validateManifest } from "./validate-manifest.js";

// Strict mode, allowing only `type: [...]` lists: standard JSON Schema, which zod emits for
// values that may be a string, a number or a boolean.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const ajvValidate = ajv.compile(toManifestJsonSchema());

/** Per kind: a required field, a field given the wrong type, a closed-set field given a stranger. */
const KIND_CASES: Record<
  PluginKind,
  {
    readonly required: string;
    readonly wrongType: readonly [string, unknown];
    readonly badEnum: readonly [string, unknown];
  }
> = {
  connection_provider: {
    required: "setupMode",
    wrongType: ["capabilities", "read_threads"],
    badEnum: ["accessModes[0]", "read_write"],
  },
  ingress_adapter: {
    required: "normalizedInputRouteKinds",
    wrongType: ["provider", 7],
    badEnum: ["authentication", "password"],
  },
  action_executor: {
    required: "executionModel",
    wrongType: ["destinationProviders", "gmail"],
    badEnum: ["defaultBoundaryMode", "sometimes"],
  },
  worker_pack: {
    required: "workerPackId",
    wrongType: ["outputKinds", { email_draft: true }],
    badEnum: ["defaultScope", "team"],
  },
  channel: {
    required: "channelType",
    wrongType: ["operations", "send_fax"],
    badEnum: ["stability", "beta"],
  },
  connector: {
    required: "realtime",
    wrongType: ["realtime", "yes"],
    badEnum: ["syncModes[0]", "hourly"],
  },
  rule_operator: {
    required: "conditions",
    wrongType: ["actions", {}],
    badEnum: ["owner", "community"],
  },
  hook: {
    required: "failMode",
    wrongType: ["timeoutMs", "50ms"],
    badEnum: ["ring", "egress"],
  },
};

const HTTP_KINDS: readonly PluginKind[] = ["action_executor", "channel"];

function badRuntimes(kind: PluginKind): Array<[string, Record<string, unknown>]> {
  const example = EXAMPLE_MANIFESTS[kind];
  if (HTTP_KINDS.includes(kind)) {
    const [operation = ""] = Object.keys(
      (example as { runtime: { operations: object } }).runtime.operations,
    );
    return [
      ["an HTTP runtime with no allowed domain", withField(example, "runtime.allowedDomains", [])],
      [
        "an HTTP runtime allowing a wildcard domain",
        withField(example, "runtime.allowedDomains", ["*.example.com"]),
      ],
      [
        "an HTTP runtime with an unknown auth scheme",
        withField(example, "runtime.auth", { scheme: "digest" }),
      ],
      [
        "an HTTP operation with an unknown method",
        withField(example, `runtime.operations.${operation}.method`, "FETCH"),
      ],
      [
        "an HTTP operation with an empty URL",
        withField(example, `runtime.operations.${operation}.url`, ""),
      ],
      [
        "an HTTP operation name that is not snake_case",
        withField(example, "runtime.operations.SendIt", { method: "GET", url: "https://x" }),
      ],
    ];
  }
  return [
    [
      "a module runtime outside the package",
      withField(example, "runtime", { type: "module", entry: "../escape.js" }),
    ],
    [
      "a module runtime with an absolute entry",
      withField(example, "runtime", { type: "module", entry: "/srv/plugin.js" }),
    ],
    [
      "an HTTP runtime on a kind that cannot have one",
      withField(example, "runtime", EXAMPLE_MANIFESTS.channel.runtime),
    ],
  ];
}

function invalidCorpus(kind: PluginKind): Array<[string, unknown]> {
  const example = EXAMPLE_MANIFESTS[kind];
  const { required, wrongType, badEnum } = KIND_CASES[kind];
  return [
    [`no ${required}`, withoutField(example, required)],
    [`a ${wrongType[0]} of the wrong type`, withField(example, wrongType[0], wrongType[1])],
    [`a ${badEnum[0]} outside its closed set`, withField(example, badEnum[0], badEnum[1])],
    ["an id breaking the kind's convention", withField(example, "id", "not-an-id")],
    [
      "an id of another kind",
      withField(example, "id", kind === "hook" ? "provider.gmail" : "hook.rate-limit"),
    ],
    ["an unknown top-level field", withField(example, "colour", "red")],
    ["an unknown field in engines", withField(example, "engines.node", ">=20")],
    ["a version that is not semver", withField(example, "version", "1.0")],
    ["an engines range that is not semver", withField(example, "engines.plugboard", "latest")],
    [
      "a permission outside the grammar",
      withField(example, "permissions", ["network:outbound:*.example.com"]),
    ],
    [
      "a permission with port 70000",
      withField(example, "permissions", ["network:outbound:a.io:70000"]),
    ],
    [
      "a setup step with a bad id and an empty title",
      withField(example, "setupSteps", [
        { id: "Step One", title: "", description: "Do it.", ctaLabel: "Go" },
      ]),
    ],
    [
      "a setup step with an unknown surface",
      withField(example, "setupSteps", [
        {
          id: "step-one",
          title: "Step",
          description: "Do it.",
          ctaLabel: "Go",
          target: { surface: "billing" },
        },
      ]),
    ],
    [
      "a config property name with a space",
      withField(example, "configSchema", {
        type: "object",
        properties: { "max requests": { type: "integer" } },
      }),
    ],
    [
      "a UI hint with an unknown widget",
      withField(example, "uiSchema", { x: { widget: "slider" } }),
    ],
    ...badRuntimes(kind),
  ];
}

describe("toManifestJsonSchema", () => {
  it("is published in dist exactly as toManifestJsonSchema generates it", () => {
    const published = JSON.parse(
      readFileSync(new URL("../dist/manifest.schema.json", import.meta.url), "utf8"),
    );
    expect(published).toEqual(toManifestJsonSchema());
  });

  it("is a draft 2020-12 schema with the published id, naming every kind", () => {
    const schema = toManifestJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(MANIFEST_SCHEMA_ID);
    const text = JSON.stringify(schema);
    for (const kind of PLUGIN_KINDS) expect(text).toContain(`"const":"${kind}"`);
  });

  it("compiles under ajv's strict mode", () => {
    expect(() =>
      new Ajv2020({ strict: true, allowUnionTypes: true }).compile(toManifestJsonSchema()),
    ).not.toThrow();
  });
});

describe("the JSON Schema and validateManifest", () => {
  const valid: Array<[string, unknown]> = [
    ...PLUGIN_KINDS.map((kind): [string, unknown] => [`the ${kind} example`, exampleOf(kind)]),
    [
      "a manifest pointing at the published schema",
      withField(EXAMPLE_MANIFESTS.hook, "$schema", MANIFEST_SCHEMA_ID),
    ],
    [
      "a manifest without any optional field",
      ["configSchema", "uiSchema", "permissions", "runtime", "category", "priority", "tags"].reduce(
        (manifest, field) => withoutField(manifest, field),
        exampleOf("connector"),
      ),
    ],
    [
      "a manifest with every setup step option",
      withFields(EXAMPLE_MANIFESTS.worker_pack, {
        "setupSteps[0].operatorOnly": false,
        "setupSteps[0].docsHref": "https://plugboard.dev/docs",
      }),
    ],
  ];

  it.each(valid)("both accept %s", (_label, manifest) => {
    expect(validateManifest(manifest).success).toBe(true);
    expect(ajvValidate(manifest), JSON.stringify(ajvValidate.errors)).toBe(true);
  });

  const notManifests: Array<[string, unknown]> = [
    ["null", null],
    ["an array", [EXAMPLE_MANIFESTS.hook]],
    ["a string", "hook"],
    ["an unknown kind", withField(EXAMPLE_MANIFESTS.hook, "kind", "fax_provider")],
    ["a missing kind", withoutField(EXAMPLE_MANIFESTS.hook, "kind")],
  ];

  it.each(notManifests)("both reject %s", (_label, input) => {
    expect(validateManifest(input).success).toBe(false);
    expect(ajvValidate(input)).toBe(false);
  });

  describe.each(PLUGIN_KINDS)("for a %s", (kind) => {
    it.each(invalidCorpus(kind))("both reject %s", (_label, manifest) => {
      expect(validateManifest(manifest).success).toBe(false);
      expect(ajvValidate(manifest)).toBe(false);
    });
  });
});
