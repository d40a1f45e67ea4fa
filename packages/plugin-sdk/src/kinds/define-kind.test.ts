import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PlugboardError } from "../errors.js";
import { toManifestJsonSchema } from "../json-schema.js";
import { ProviderKeySchema } from "../open-vocabulary.js";
import { checkRegistry } from "../registry/check-registry.js";
import { withField, withoutField } from "../testing/edit-manifest.js";
import { allExamples, workerPackExample } from "../testing/example-manifests.js";
import { validateManifest } from "../validate-manifest.js";
import { BUILT_IN_KINDS, PLUGIN_KINDS } from "./built-in-kinds.js";
import { defineKind } from "./define-kind.js";
import { createKindSet } from "./kind-set.js";

/** A kind a host adds: fax providers, id `fax.<vendor>`. */
const faxProviderKind = defineKind({
  name: "fax_provider",
  idPattern: /^fax\.[a-z][a-z0-9-]*$/,
  idConvention: "fax.<vendor>",
  fields: {
    provider: ProviderKeySchema,
    pagesPerMinute: z.int().min(1),
    coverPage: z.boolean().optional(),
  },
  links: (manifest) => ({
    provides: [{ vocabulary: "provider", value: manifest.provider, path: "provider" }],
  }),
  check: (manifest) =>
    manifest.coverPage === true && manifest.pagesPerMinute < 2
      ? [{ path: "pagesPerMinute", code: "too_slow", message: "a cover page needs 2 pages/min" }]
      : [],
});

const hostKinds = createKindSet([...BUILT_IN_KINDS, faxProviderKind]);

const faxManifest = {
  kind: "fax_provider",
  id: "fax.phaxio",
  version: "1.0.0",
  displayName: "Phaxio",
  description: "Sends faxes through Phaxio.",
  owner: "third_party",
  stability: "experimental",
  engines: { plugboard: "^1.0.0" },
  provider: "phaxio",
  pagesPerMinute: 6,
};

function kindError(define: () => unknown): PlugboardError {
  try {
    define();
  } catch (error) {
    if (error instanceof PlugboardError) return error;
    throw error;
  }
  throw new Error("expected the kind definition to be rejected");
}

describe("defineKind", () => {
  it("returns the kind as plain data, with links and checks that do nothing by default", () => {
    const bare = defineKind({
      name: "note",
      idPattern: /^note\.[a-z]+$/,
      idConvention: "note.<name>",
      fields: {},
    });
    expect(bare.name).toBe("note");
    expect(bare.idConvention).toBe("note.<name>");
    const note = bare.schema.parse({
      ...withoutField(withoutField(faxManifest, "provider"), "pagesPerMinute"),
      kind: "note",
      id: "note.x",
    });
    expect(bare.links(note)).toEqual({});
    expect(bare.check(note)).toEqual([]);
  });

  it("registers nothing: the same kind name may be defined twice until both meet in one set", () => {
    const options = {
      name: "fax_provider",
      idPattern: /^fax\.[a-z]+$/,
      idConvention: "fax.<vendor>",
      fields: {},
    };
    expect(() => [defineKind(options), defineKind(options)]).not.toThrow();
  });

  it("gives a host kind the base fields, its own fields and its id convention", () => {
    const result = validateManifest(faxManifest, { kinds: hostKinds });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.kind).toBe(faxProviderKind);
    expect(result.manifest.id).toBe("fax.phaxio");
  });

  it("rejects a host kind's manifest with a wrong id, naming the host's convention", () => {
    const result = validateManifest(withField(faxManifest, "id", "fax.Phaxio"), {
      kinds: hostKinds,
    });
    expect(result).toEqual({
      success: false,
      issues: [
        { path: "id", code: "invalid_format", message: "expected an id of the form fax.<vendor>" },
      ],
    });
  });

  it("holds a host kind's manifest to the base fields and rejects unknown fields", () => {
    const broken = withoutField(withField(faxManifest, "tray", 2), "version");
    const result = validateManifest(broken, { kinds: hostKinds });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      ["version", "invalid_type"],
      ["tray", "unrecognized_key"],
    ]);
  });

  it("lets a host kind tighten a base field", () => {
    const strictSteps = defineKind({
      name: "fax_provider",
      idPattern: /^fax\.[a-z][a-z0-9-]*$/,
      idConvention: "fax.<vendor>",
      fields: { setupSteps: z.array(z.unknown()).min(1) },
    });
    const base = withoutField(withoutField(faxManifest, "provider"), "pagesPerMinute");
    const result = validateManifest(withField(base, "setupSteps", []), {
      kinds: createKindSet([strictSteps]),
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      { path: "setupSteps", code: "too_small", message: "expected at least 1 item(s)" },
    ]);
  });

  it("rejects a host kind's manifest at `kind` when the kind is not passed", () => {
    const result = validateManifest(faxManifest);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      {
        path: "kind",
        code: "invalid_value",
        message: `expected one of ${PLUGIN_KINDS.map((name) => `"${name}"`).join(", ")}, received "fax_provider"`,
      },
    ]);
  });

  it("keeps accepting the built-in kinds in a set that adds a host kind", () => {
    for (const example of allExamples()) {
      expect(validateManifest(example, { kinds: hostKinds }).success).toBe(true);
    }
  });

  it("lets checkRegistry accept a host kind and resolve references to what it provides", () => {
    const pack = withField(workerPackExample, "optionalConnectionProviders", ["phaxio"]);
    const manifests = [...allExamples().filter((m) => m.kind !== "worker_pack"), pack, faxManifest];
    const result = checkRegistry(manifests, { kinds: hostKinds });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.graph.byId.get("fax.phaxio")).toEqual(faxManifest);
    expect(result.graph.provided.get("provider")?.get("phaxio")).toEqual(["fax.phaxio"]);
  });

  it("runs a host kind's own check inside checkRegistry", () => {
    const slow = { ...faxManifest, coverPage: true, pagesPerMinute: 1 };
    expect(checkRegistry([slow], { kinds: hostKinds })).toEqual({
      success: false,
      problems: [
        {
          manifestId: "fax.phaxio",
          path: "pagesPerMinute",
          code: "too_slow",
          message: "a cover page needs 2 pages/min",
        },
      ],
    });
  });

  it("makes checkRegistry reject a host kind's manifest at `kind` when the kind is not passed", () => {
    const result = checkRegistry([faxManifest]);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ manifestId: "fax.phaxio", path: "kind", code: "invalid_value" }),
    ]);
  });

  it("adds a host kind to the JSON Schema of its set", () => {
    const schema = JSON.stringify(toManifestJsonSchema(hostKinds));
    expect(schema).toContain('"const":"fax_provider"');
    expect(JSON.stringify(toManifestJsonSchema())).not.toContain("fax_provider");
  });

  it.each(["FaxProvider", "fax-provider", "fax provider", "", "1fax", "fax_"])(
    "rejects the kind name %j, which is not snake_case",
    (name) => {
      const error = kindError(() =>
        defineKind({ name, idPattern: /^fax\.[a-z]+$/, idConvention: "fax.<vendor>", fields: {} }),
      );
      expect(error.code).toBe("PLUGBOARD_KIND_INVALID");
      expect(error.message).toContain("must be snake_case");
    },
  );

  it.each([
    ["without ^", /fax\.[a-z]+$/],
    ["without $", /^fax\.[a-z]+/],
    ["without either anchor", /fax\.[a-z]+/],
  ])("rejects an id pattern %s", (_label, idPattern) => {
    const error = kindError(() =>
      defineKind({ name: "fax_provider", idPattern, idConvention: "fax.<vendor>", fields: {} }),
    );
    expect(error.code).toBe("PLUGBOARD_KIND_INVALID");
    expect(error.message).toBe('idPattern of kind "fax_provider" must be anchored with ^ and $');
  });

  it.each(["id", "kind"])("rejects fields that declare %s, which defineKind sets", (field) => {
    const error = kindError(() =>
      defineKind({
        name: "fax_provider",
        idPattern: /^fax\.[a-z]+$/,
        idConvention: "fax.<vendor>",
        fields: { [field]: z.string() },
      }),
    );
    expect(error.code).toBe("PLUGBOARD_KIND_INVALID");
    expect(error.message).toContain(`must not declare "${field}"`);
  });
});
