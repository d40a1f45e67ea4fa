import {
  BUILT_IN_KINDS,
  type BuiltInKind,
  type ManifestIssue,
  type PluginManifest,
  validateManifest,
} from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { smtpReviewedSendExecutor } from "./action-executors/smtp-reviewed-send.js";
import { faxlineFaxChannel } from "./channels/faxline-fax.js";
import { gmailReadOnlyProvider } from "./connection-providers/gmail-read-only.js";
import { microsoftGraphConnector } from "./connectors/microsoft-graph.js";
import { firstPartyManifests } from "./first-party-manifests.js";
import { rateLimitHook } from "./hooks/rate-limit.js";
import { postmarkForwardEmailAdapter } from "./ingress-adapters/postmark-forward-email.js";
import { commsRuleOperator } from "./rule-operators/comms.js";
import { followUpWorkerPack } from "./worker-packs/follow-up.js";

/** One first-party manifest of each built-in kind, the valid starting point of every case. */
const BASES: readonly PluginManifest[] = [
  gmailReadOnlyProvider,
  postmarkForwardEmailAdapter,
  smtpReviewedSendExecutor,
  followUpWorkerPack,
  faxlineFaxChannel,
  microsoftGraphConnector,
  commsRuleOperator,
  rateLimitHook,
];

type JsonType = "string" | "number" | "boolean" | "array" | "object";

/** What the tests need of a field's zod schema. */
interface FieldSchema {
  readonly def: unknown;
  safeParse(input: unknown): { readonly success: boolean };
}

/** Values of the wrong JSON type for a field of each type. */
const WRONG_VALUES: Record<JsonType, ReadonlyArray<readonly [label: string, value: unknown]>> = {
  string: [["a number", 42]],
  number: [["a string", "42"]],
  boolean: [["a string", "true"]],
  array: [
    ["a number", 42],
    ["a string", "item"],
  ],
  object: [
    ["a number", 42],
    ["a string", "{}"],
  ],
};

const REMOVED = Symbol("removed");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The JSON type a zod schema accepts, read from its definition. */
function jsonTypeOf(def: unknown): JsonType {
  if (!isRecord(def)) throw new Error("expected a zod schema definition");
  switch (def.type) {
    case "optional":
      return jsonTypeOf(isRecord(def.innerType) ? def.innerType.def : undefined);
    case "string":
    case "enum":
    case "literal":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "array";
    case "object":
    case "record":
    case "union":
      return "object";
    default:
      throw new Error(`no JSON type known for zod schema type ${String(def.type)}`);
  }
}

function kindOf(manifest: PluginManifest): BuiltInKind {
  const kind = BUILT_IN_KINDS.find((candidate) => candidate.name === manifest.kind);
  if (kind === undefined) throw new Error(`no built-in kind ${manifest.kind}`);
  return kind;
}

function fieldsOf(kind: BuiltInKind): Array<[name: string, schema: FieldSchema]> {
  return Object.entries<FieldSchema>(kind.schema.shape);
}

function requiredFields(kind: BuiltInKind): string[] {
  return fieldsOf(kind)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);
}

function wrongTypeCases(kind: BuiltInKind): Array<[field: string, label: string, value: unknown]> {
  return fieldsOf(kind).flatMap(([name, schema]) =>
    WRONG_VALUES[jsonTypeOf(schema.def)].map(
      ([label, value]) => [name, label, value] as [string, string, unknown],
    ),
  );
}

/** A JSON copy of `manifest` with the value at `path` replaced, or removed with REMOVED. */
function edited(manifest: object, path: readonly (string | number)[], value: unknown): unknown {
  const copy = roundTrip(manifest);
  let node: unknown = copy;
  for (const segment of path.slice(0, -1)) {
    if (!isRecord(node)) throw new Error(`nothing to edit at ${path.join(".")}`);
    node = Reflect.get(node, segment);
  }
  const last = path.at(-1);
  if (!isRecord(node) || last === undefined)
    throw new Error(`nothing to edit at ${path.join(".")}`);
  if (value === REMOVED) Reflect.deleteProperty(node, last);
  else Reflect.set(node, last, value);
  return copy;
}

function issuesOf(input: unknown): readonly ManifestIssue[] {
  const result = validateManifest(input);
  return result.success ? [] : result.issues;
}

function roundTrip(input: unknown): unknown {
  return JSON.parse(JSON.stringify(input));
}

/** Asserts that validation finds a problem at `path` and nowhere else; returns those issues. */
function expectIssuesOnlyAt(input: unknown, path: string): readonly ManifestIssue[] {
  const issues = issuesOf(input);
  expect(
    issues.map((issue) => issue.path),
    "validation found no issue",
  ).toContain(path);
  expect(issues.filter((issue) => issue.path !== path)).toEqual([]);
  return issues;
}

it("covers every built-in kind with exactly one base manifest", () => {
  expect(BASES.map((base) => base.kind)).toEqual(BUILT_IN_KINDS.map((kind) => kind.name));
});

describe.each(BASES.map((base) => [base.kind, base] as const))(
  "a manifest of kind %s",
  (_name, base) => {
    const kind = kindOf(base);

    it("is valid before any change", () => {
      expect(issuesOf(base)).toEqual([]);
    });

    it.each(requiredFields(kind))("without %s is reported at exactly that field", (field) => {
      const copy = Object.fromEntries(Object.entries(base).filter(([key]) => key !== field));
      const issues = expectIssuesOnlyAt(copy, field);
      expect(issuesOf(roundTrip(copy))).toEqual(issues);
    });

    it.each(wrongTypeCases(kind))(
      "with %s set to %s is reported at exactly that field",
      (field, _label, value) => {
        const copy = { ...base, [field]: value };
        const issues = expectIssuesOnlyAt(copy, field);
        expect(issuesOf(roundTrip(copy))).toEqual(issues);
      },
    );

    const [prefix = "", ...segments] = base.id.split(".");
    const badIds: Array<[reason: string, id: string]> = [
      ["a wrong prefix", ["plugin", ...segments].join(".")],
      ["an uppercase letter", base.id.replace(/[a-z](?=[a-z0-9-]*$)/, (c) => c.toUpperCase())],
      ["an underscore", `${base.id}_x`],
      ["one segment too many", `${base.id}.extra`],
      ["no segment after the prefix", prefix],
      ["an empty segment after the prefix", `${prefix}.`],
      ["an empty string", ""],
    ];

    it.each(badIds)(
      "with an id with %s (%j) is reported at id, naming the convention",
      (_reason, id) => {
        const issues = expectIssuesOnlyAt({ ...base, id }, "id");
        for (const issue of issues) expect(issue.message).toContain(kind.idConvention);
      },
    );

    it("with an unknown top-level field is reported as unrecognized_key at that field", () => {
      const issues = expectIssuesOnlyAt({ ...base, colour: "blue" }, "colour");
      expect(issues.map((issue) => issue.code)).toEqual(["unrecognized_key"]);
    });
  },
);

describe("nested fields", () => {
  const cases: Array<
    [path: string, manifest: object, edit: readonly (string | number)[], value: unknown]
  > = [
    ["setupSteps[1].ctaLabel", gmailReadOnlyProvider, ["setupSteps", 1, "ctaLabel"], REMOVED],
    [
      "setupSteps[0].target.surface",
      gmailReadOnlyProvider,
      ["setupSteps", 0, "target", "surface"],
      "dashboard",
    ],
    ["setupSteps[0].id", gmailReadOnlyProvider, ["setupSteps", 0, "id"], "Gmail Credentials"],
    [
      "runtime.operations.send_fax.method",
      faxlineFaxChannel,
      ["runtime", "operations", "send_fax", "method"],
      "FETCH",
    ],
    [
      "runtime.operations.send_fax.response.statusMap.delivered",
      faxlineFaxChannel,
      ["runtime", "operations", "send_fax", "response", "statusMap", "delivered"],
      "done",
    ],
    [
      "runtime.allowedDomains[0]",
      faxlineFaxChannel,
      ["runtime", "allowedDomains", 0],
      "*.faxline.example",
    ],
    ["conditions[0].id", commsRuleOperator, ["conditions", 0, "id"], "comms call count"],
    [
      "conditions[0].params.properties.direction.type",
      commsRuleOperator,
      ["conditions", 0, "params", "properties", "direction", "type"],
      "text",
    ],
    ["engines.plugboard", followUpWorkerPack, ["engines", "plugboard"], "sometime soon"],
    ["outputKinds[1]", followUpWorkerPack, ["outputKinds", 1], "Meeting Recap"],
    ["destinationProviders[0]", smtpReviewedSendExecutor, ["destinationProviders", 0], "SMTP"],
    ["schedule.intervalMinutes", microsoftGraphConnector, ["schedule", "intervalMinutes"], 0],
    ["uiSchema.keyBy.widget", rateLimitHook, ["uiSchema", "keyBy", "widget"], "dropdown"],
    ["permissions[0]", rateLimitHook, ["permissions", 0], "storage:everything"],
  ];

  it.each(cases)(
    "a missing or wrong value at %s is reported at exactly that path",
    (path, manifest, edit, value) => {
      const copy = edited(manifest, edit, value);
      const issues = expectIssuesOnlyAt(copy, path);
      expect(issuesOf(roundTrip(copy))).toEqual(issues);
    },
  );

  it("an unknown field inside a setup step target is reported as unrecognized_key there", () => {
    const copy = edited(gmailReadOnlyProvider, ["setupSteps", 0, "target", "colour"], "blue");
    const issues = expectIssuesOnlyAt(copy, "setupSteps[0].target.colour");
    expect(issues.map((issue) => issue.code)).toEqual(["unrecognized_key"]);
  });
});

describe("workerPackId", () => {
  it.each([
    ["no version suffix", "follow_up"],
    ["kebab-case", "follow-up-v1"],
    ["an uppercase letter", "Follow_up_v1"],
    ["version zero", "follow_up_v0"],
    ["nothing at all", ""],
  ])("with %s (%j) is reported at workerPackId", (_reason, workerPackId) => {
    const issues = expectIssuesOnlyAt({ ...followUpWorkerPack, workerPackId }, "workerPackId");
    for (const issue of issues) expect(issue.message).toContain("version suffix");
  });
});

describe("JSON round trip", () => {
  it.each(firstPartyManifests.map((manifest) => [manifest.id, manifest] as const))(
    "%s validates the same after JSON.stringify and JSON.parse",
    (_id, manifest) => {
      const fromJson = validateManifest(roundTrip(manifest));
      expect(fromJson.success).toBe(true);
      expect(fromJson).toEqual(validateManifest(manifest));
    },
  );
});
