import {
  actionExecutorKind,
  BUILT_IN_KINDS,
  channelKind,
  connectionProviderKind,
  HttpAuthSchema,
  HttpRuntimeSchema,
  PluginCategorySchema,
  SetupStepSchema,
  workerPackKind,
} from "@plugboard/plugin-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  EXAMPLE_MANIFESTS,
  faxChannel,
  gmailProvider,
  smtpSendAction,
} from "./fixtures/example-manifests.js";
import {
  fromWire,
  parseWire,
  safeParseWire,
  toWire,
  toWireSchema,
  type WireValue,
} from "./wire-case.js";
import { toWireKey } from "./wire-key.js";

/** Every object key in a value, with its path, for asserting on spellings. */
function keysOf(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keysOf(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${path}.${key}`,
    ...keysOf(child, `${path}.${key}`),
  ]);
}

describe("toWireKey", () => {
  it("spells camelCase keys in snake_case and leaves other keys alone", () => {
    expect(toWireKey("docsHref")).toBe("docs_href");
    expect(toWireKey("requiredConnectionProviders")).toBe("required_connection_providers");
    expect(toWireKey("timeoutMs")).toBe("timeout_ms");
    expect(toWireKey("$schema")).toBe("$schema");
    expect(toWireKey("type")).toBe("type");
  });
});

describe("round trip of built-in manifests", () => {
  for (const kind of BUILT_IN_KINDS) {
    it(`restores the ${kind.name} example exactly and its wire form parses`, () => {
      const manifest = kind.schema.parse(EXAMPLE_MANIFESTS[kind.name]);
      const wire = toWire(kind.schema, manifest);
      expect(toWireSchema(kind.schema).parse(wire)).toEqual(wire);
      expect(fromWire(kind.schema, wire)).toEqual(manifest);
      expect(parseWire(kind.schema, wire)).toEqual(manifest);
    });
  }

  it("renames manifest fields at every depth", () => {
    const wire = toWire(workerPackKind.schema, EXAMPLE_MANIFESTS.worker_pack);
    expect(wire.worker_pack_id).toBe("follow_up_v1");
    expect(wire.required_connection_providers).toEqual(["gmail"]);
    expect(wire.setup_steps[0]?.cta_label).toBe("Connect");
    expect(wire.setup_steps[0]?.operator_only).toBe(true);
    expect(wire.setup_steps[0]?.target?.worker_kind).toBe("follow_up");
    expect(keysOf(wire).filter((key) => /[A-Z]/.test(key))).toEqual([]);
  });

  it("keeps the $schema key as it is", () => {
    const wire = toWire(connectionProviderKind.schema, gmailProvider);
    expect(wire.$schema).toBe(gmailProvider.$schema);
    expect(wire.docs_href).toBe(gmailProvider.docsHref);
  });
});

describe("record keys and free JSON", () => {
  const actionSchema = actionExecutorKind.schema;
  const wire = toWire(actionSchema, smtpSendAction);
  const runtime = wire.runtime?.type === "http" ? wire.runtime : undefined;
  const send = runtime?.operations.send_email;

  it("keeps config property names and UI hint keys", () => {
    const provider = toWire(connectionProviderKind.schema, gmailProvider);
    expect(Object.keys(provider.config_schema?.properties ?? {})).toEqual([
      "maxRequests",
      "labelFilter",
      "redact_emails",
    ]);
    expect(Object.keys(provider.ui_schema ?? {})).toEqual(["maxRequests", "labelFilter"]);
  });

  it("sends a plugin's configSchema as the JSON Schema its author wrote", () => {
    const provider = toWire(connectionProviderKind.schema, gmailProvider);
    expect(provider.config_schema).toEqual(gmailProvider.configSchema);
  });

  it("keeps operation names, header names, status map keys and query names", () => {
    expect(runtime?.allowed_domains).toEqual(["api.relay.example.com"]);
    expect(Object.keys(runtime?.operations ?? {})).toEqual(["send_email", "get_status"]);
    expect(send?.headers).toEqual({
      "X-Request-Source": "plugboard",
      "Content-Type": "application/json",
    });
    expect(send?.response?.status_map).toEqual({
      SENT: "succeeded",
      inFlight: "in_progress",
      Bounced: "failed",
    });
    expect(send?.response?.status_path).toBe("data.deliveryStatus");
    expect(send?.timeout_ms).toBe(15_000);
    expect(runtime?.operations.get_status?.query).toEqual({ includeEvents: "true" });
  });

  it("leaves keys inside a free JSON body template untouched", () => {
    expect(send?.body).toEqual({
      encoding: "json",
      template: { toAddress: "{{ to }}", messageBody: { htmlPart: "{{ html }}" }, tags: [] },
    });
  });

  it("returns schemas without renamed keys unchanged", () => {
    const json = z.json();
    expect(toWireSchema(json)).toBe(json);
    expect(toWireSchema(PluginCategorySchema)).toBe(PluginCategorySchema);
    const flat = z.strictObject({ id: z.string(), tags: z.record(z.string(), z.string()) });
    expect(toWireSchema(flat)).toBe(flat);
  });
});

describe("discriminated unions", () => {
  const WireAuth = toWireSchema(HttpAuthSchema);

  it("selects the option by its discriminator and parses wire keys", () => {
    const wire = { scheme: "basic", username_secret: "user", password_secret: "pass" };
    expect(WireAuth.parse(wire)).toEqual(wire);
    expect(fromWire(HttpAuthSchema, WireAuth.parse(wire))).toEqual({
      scheme: "basic",
      usernameSecret: "user",
      passwordSecret: "pass",
    });
  });

  it("rejects an option spelled in camelCase on the wire", () => {
    const result = WireAuth.safeParse({ scheme: "bearer", tokenSecret: "token" });
    expect(result.success).toBe(false);
  });

  it("renames a camelCase discriminator and still finds the option", () => {
    const Target = z.discriminatedUnion("targetKind", [
      z.strictObject({ targetKind: z.literal("queue"), queueName: z.string() }),
      z.strictObject({ targetKind: z.literal("topic"), topicArn: z.string() }),
    ]);
    const wire = toWire(Target, { targetKind: "topic", topicArn: "arn:1" });
    expect(wire).toEqual({ target_kind: "topic", topic_arn: "arn:1" });
    expect(toWireSchema(Target).parse(wire)).toEqual(wire);
    expect(fromWire(Target, wire)).toEqual({ targetKind: "topic", topicArn: "arn:1" });
  });

  it("picks the option of a plain union whose shape the value has", () => {
    const Contact = z.union([
      z.strictObject({ emailAddress: z.string() }),
      z.strictObject({ phoneNumber: z.string() }),
    ]);
    expect(toWire(Contact, { phoneNumber: "+1" })).toEqual({ phone_number: "+1" });
    expect(fromWire(Contact, { phone_number: "+1" })).toEqual({ phoneNumber: "+1" });
  });
});

describe("wire schema strictness", () => {
  it("rejects a wire manifest that carries a camelCase key", () => {
    const schema = toWireSchema(channelKind.schema);
    const wire = toWire(channelKind.schema, faxChannel);
    const result = schema.safeParse({ ...wire, docsHref: "docs/fax.md" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      code: "unrecognized_keys",
      keys: ["docsHref"],
    });
  });

  it("reports issues at wire paths", () => {
    const result = safeParseWire(SetupStepSchema, { id: "x", title: "t", description: "d" });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path).toEqual(["cta_label"]);
  });

  it("shares one wire form of a schema nested in many places", () => {
    const step = toWireSchema(SetupStepSchema);
    const runtime = toWireSchema(HttpRuntimeSchema);
    expect(toWireSchema(SetupStepSchema)).toBe(step);
    expect(toWireSchema(HttpRuntimeSchema)).toBe(runtime);
  });
});

describe("other schema forms", () => {
  it("maps optionals, nullables, defaults, tuples and records of objects", () => {
    const Schema = z.strictObject({
      lastSeen: z.strictObject({ seenAt: z.string() }).nullable(),
      retryPolicy: z.strictObject({ maxAttempts: z.int() }).default({ maxAttempts: 3 }),
      pair: z.tuple([z.strictObject({ leftHand: z.int() }), z.string()]),
      byName: z.record(z.string(), z.strictObject({ displayName: z.string() })),
      note: z.string().optional(),
    });
    const value = Schema.parse({
      lastSeen: null,
      pair: [{ leftHand: 1 }, "x"],
      byName: { aliceSmith: { displayName: "Alice" } },
    });
    const wire = toWire(Schema, value);
    expect(wire).toEqual({
      last_seen: null,
      retry_policy: { max_attempts: 3 },
      pair: [{ left_hand: 1 }, "x"],
      by_name: { aliceSmith: { display_name: "Alice" } },
    });
    expect(fromWire(Schema, wire)).toEqual(value);
    expect(toWireSchema(Schema).parse({ ...wire, retry_policy: undefined })).toEqual(wire);
  });

  it("maps both sides of an intersection", () => {
    const Both = z.intersection(
      z.object({ firstName: z.string() }),
      z.object({ lastName: z.string() }),
    );
    const wire = toWire(Both, { firstName: "Ada", lastName: "Lovelace" });
    expect(wire).toEqual({ first_name: "Ada", last_name: "Lovelace" });
    expect(toWireSchema(Both).parse(wire)).toEqual(wire);
    expect(fromWire(Both, wire)).toEqual({ firstName: "Ada", lastName: "Lovelace" });
  });

  it("keeps the checks of the schemas it renames", () => {
    const Team = z.strictObject({ memberIds: z.array(z.string().min(3)).min(1).max(2) });
    const WireTeam = toWireSchema(Team);
    expect(WireTeam.safeParse({ member_ids: [] }).success).toBe(false);
    expect(WireTeam.safeParse({ member_ids: ["ab"] }).success).toBe(false);
    expect(WireTeam.safeParse({ member_ids: ["a1", "b2", "c3"] }).success).toBe(false);
    expect(WireTeam.safeParse({ member_ids: ["abc"] }).success).toBe(true);
  });

  it("follows recursive schemas through z.lazy", () => {
    interface TreeNode {
      nodeName: string;
      childNodes: TreeNode[];
    }
    const Tree: z.ZodType<TreeNode> = z.lazy(() =>
      z.strictObject({ nodeName: z.string(), childNodes: z.array(Tree) }),
    );
    const value = { nodeName: "a", childNodes: [{ nodeName: "b", childNodes: [] }] };
    const wire = toWire(Tree, value);
    expect(wire).toEqual({ node_name: "a", child_nodes: [{ node_name: "b", child_nodes: [] }] });
    expect(toWireSchema(Tree).parse(wire)).toEqual(wire);
    expect(fromWire(Tree, wire)).toEqual(value);
  });

  it("refuses an object refinement, which would read snake_case keys", () => {
    const Range = z
      .strictObject({ lowValue: z.int(), highValue: z.int() })
      .refine((range) => range.lowValue <= range.highValue);
    expect(() => toWireSchema(Range)).toThrow(/refinement/);
  });

  it("refuses a shape whose keys collide on the wire", () => {
    const Clash = z.strictObject({ userId: z.string(), user_id: z.string() });
    expect(() => toWireSchema(Clash)).toThrow(/"user_id"/);
  });
});

describe("wire types", () => {
  it("renames keys in the type and keeps record keys and primitives", () => {
    type Value = { docsHref?: string; byName: Record<string, { maxRequests: number }> };
    expectTypeOf<WireValue<Value>>().toEqualTypeOf<{
      docs_href?: string;
      by_name: Record<string, { max_requests: number }>;
    }>();
    const wire = toWire(SetupStepSchema, {
      id: "a",
      title: "t",
      description: "d",
      ctaLabel: "Go",
    });
    expectTypeOf(wire.cta_label).toEqualTypeOf<string>();
  });
});
