import { describe, expect, it } from "vitest";
import { withField, withFields } from "../testing/edit-manifest.js";
import {
  actionExecutorExample,
  allExamples,
  channelExample,
  connectionProviderExample,
  connectorExample,
  hookExample,
  ruleOperatorExample,
  workerPackExample,
} from "../testing/example-manifests.js";
import { problem, problemsOf, registryWith } from "../testing/registry-problems.js";
import { checkRegistry } from "./check-registry.js";
import { PLUGBOARD_HOST } from "./host.js";

describe("checkRegistry on a consistent registry", () => {
  it("accepts the example registry and returns its graph", () => {
    const result = checkRegistry(allExamples());
    expect(result.success).toBe(true);
    if (!result.success) return;
    const { graph } = result;
    expect(graph.manifests.map((manifest) => manifest.id)).toEqual(
      allExamples().map((manifest) => manifest.id),
    );
    expect([...graph.byId.keys()]).toEqual(allExamples().map((manifest) => manifest.id));
    expect(graph.byId.get("worker-pack.follow-up")).toEqual(workerPackExample);
    expect(graph.provided.get("provider")?.get("gmail")).toEqual(["provider.gmail"]);
    expect(graph.provided.get("write_capable_provider")?.get("gmail")).toEqual(["provider.gmail"]);
    expect(graph.provided.get("route_kind")?.get("watched_inbox")).toEqual(["ingress.gmail.watch"]);
    expect(graph.provided.get("action_kind")?.get("send_email")).toEqual(["action.gmail-send"]);
    expect(graph.provided.get("worker_pack_id")?.get("follow_up_v1")).toEqual([
      "worker-pack.follow-up",
    ]);
  });

  it("orders hooks per ring by priority, then id, moved by before/after constraints", () => {
    const hooks = [
      withFields(hookExample, { id: "hook.trace", priority: 500, before: ["hook.rate-limit"] }),
      withFields(hookExample, { id: "hook.auth", priority: 10 }),
      withFields(hookExample, { id: "hook.cache", priority: 100 }),
      withFields(hookExample, { id: "hook.audit", ring: "post_flight", priority: 1 }),
      withFields(hookExample, { id: "hook.metrics", ring: "post_flight", priority: 1 }),
      withFields(hookExample, { id: "hook.auth-ingress", ring: "ingress", after: ["hook.gone"] }),
    ];
    const result = checkRegistry(registryWith(...hooks));
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.graph.hookOrder).toEqual({
      ingress: ["hook.auth-ingress"],
      pre_flight: ["hook.auth", "hook.cache", "hook.trace", "hook.rate-limit"],
      routing: [],
      post_flight: ["hook.audit", "hook.metrics"],
      background: [],
    });
  });

  it("accepts an empty registry", () => {
    const result = checkRegistry([]);
    expect(result.success).toBe(true);
  });
});

describe("checkRegistry carries each manifest's own issues", () => {
  it("reports a schema issue under the manifest's id with the field path", () => {
    expect(problemsOf(registryWith(withField(hookExample, "ring", "outer")))).toEqual([
      problem("hook.rate-limit", "ring", "invalid_value"),
    ]);
  });

  it("names an input without a usable id by its position", () => {
    expect(problemsOf([...allExamples(), { kind: "hook", id: "" }, 42]).slice(-1)).toEqual([
      problem("#9", "", "invalid_type", "expected a manifest object"),
    ]);
  });

  it("reports hostile inputs instead of throwing", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwingId = Object.defineProperty({}, "id", {
      get() {
        throw new Error("no id for you");
      },
    });
    expect(problemsOf([proxy, throwingId])).toEqual([
      problem("#0", "", "unreadable"),
      problem("#1", "kind", "invalid_type"),
    ]);
  });
});

describe("checkRegistry on uniqueness", () => {
  it("rejects a second manifest with an id already used, pointing at the first", () => {
    expect(problemsOf([...allExamples(), structuredClone(hookExample)])).toEqual([
      problem(
        "hook.rate-limit",
        "id",
        "duplicate_id",
        'id "hook.rate-limit" is declared by more than one manifest (first at #7)',
      ),
    ]);
  });

  it("rejects a second worker pack with a runtime pack id already used", () => {
    const copy = withField(workerPackExample, "id", "worker-pack.follow-up-copy");
    expect(problemsOf(registryWith(copy))).toEqual([
      problem(
        "worker-pack.follow-up-copy",
        "workerPackId",
        "duplicate_value",
        'worker pack id "follow_up_v1" is already used by worker-pack.follow-up',
      ),
    ]);
  });

  it("rejects a setup step id used twice in one plugin", () => {
    const manifest = withField(connectionProviderExample, "setupSteps[1].id", "gmail-credentials");
    expect(problemsOf(registryWith(manifest))).toEqual([
      problem("provider.gmail", "setupSteps[1].id", "duplicate_setup_step_id"),
    ]);
  });
});

describe("checkRegistry on configuration and secrets", () => {
  it("rejects a UI hint for a setting configSchema does not declare", () => {
    const hook = withField(hookExample, "uiSchema.burst", { widget: "number" });
    expect(problemsOf(registryWith(hook))).toEqual([
      problem("hook.rate-limit", "uiSchema.burst", "unknown_config_property"),
    ]);
  });

  it("rejects a required setting configSchema does not declare", () => {
    const hook = withField(hookExample, "configSchema.required", ["maxRequests", "window"]);
    expect(problemsOf(registryWith(hook))).toEqual([
      problem(
        "hook.rate-limit",
        "configSchema.required[1]",
        "unknown_config_property",
        '"window" is required but not declared in configSchema.properties',
      ),
    ]);
  });

  it("rejects a secret key that is also declared as a setting", () => {
    const connector = withField(connectorExample, "configSchema", {
      type: "object",
      properties: { hubspot_token: { type: "string" } },
    });
    expect(problemsOf(registryWith(connector))).toEqual([
      problem(
        "connector.hubspot",
        "configSchema.properties.hubspot_token",
        "secret_in_config",
        '"hubspot_token" is a secret key; secrets are named in secretKeys, never in configSchema',
      ),
    ]);
  });
});

describe("checkRegistry on engines", () => {
  it("rejects an engines range that admits no version at all", () => {
    const hook = withField(hookExample, "engines.plugboard", ">2.0.0 <1.0.0");
    expect(problemsOf(registryWith(hook))).toEqual([
      problem(
        "hook.rate-limit",
        "engines.plugboard",
        "engines_unsatisfiable",
        'range ">2.0.0 <1.0.0" admits no version',
      ),
    ]);
  });

  it("rejects an engines range that excludes the host's plugin API version", () => {
    const hook = withField(hookExample, "engines.plugboard", "^2.0.0");
    expect(problemsOf(registryWith(hook))).toEqual([
      problem(
        "hook.rate-limit",
        "engines.plugboard",
        "engines_incompatible",
        `range "^2.0.0" does not admit this host's plugin API version ${PLUGBOARD_HOST.plugboardVersion}`,
      ),
    ]);
  });

  it("checks engines against the version the host declares", () => {
    const hook = withField(hookExample, "engines.plugboard", "^2.0.0");
    expect(checkRegistry([hook], { host: { plugboardVersion: "2.3.0" } }).success).toBe(true);
    expect(checkRegistry([hook], { host: {} }).success).toBe(true);
  });
});

describe("checkRegistry on rule operators", () => {
  it("rejects an operator id outside the plugin's domain", () => {
    const operator = withField(ruleOperatorExample, "conditions[0].id", "sales.callCount");
    expect(problemsOf(registryWith(operator))).toEqual([
      problem(
        "operator.comms",
        "conditions[0].id",
        "operator_domain_mismatch",
        "expected an id in this plugin's domain, such as comms.callCount",
      ),
    ]);
  });

  it("rejects an operator id used twice across conditions and actions", () => {
    const operator = withField(ruleOperatorExample, "actions[0].id", "comms.callCount");
    expect(problemsOf(registryWith(operator))).toEqual([
      problem(
        "operator.comms",
        "actions[0].id",
        "duplicate_operator_id",
        'operator id "comms.callCount" is used twice',
      ),
    ]);
  });

  it("rejects an operator plugin with neither conditions nor actions", () => {
    const operator = withFields(ruleOperatorExample, { conditions: [], actions: [] });
    expect(problemsOf(registryWith(operator))).toEqual([
      problem("operator.comms", "conditions", "operators_empty"),
    ]);
  });
});

describe("checkRegistry on HTTP runtimes", () => {
  it("rejects a channel whose HTTP auth names a secret missing from secretKeys", () => {
    const channel = withField(channelExample, "runtime.auth.passwordSecret", "PHAXIO_SECRET");
    expect(problemsOf(registryWith(channel))).toEqual([
      problem(
        "channel.phaxio.fax",
        "runtime.auth.passwordSecret",
        "secret_not_declared",
        'secret "PHAXIO_SECRET" is not listed in secretKeys',
      ),
    ]);
  });

  it("rejects a channel HTTP operation the channel does not declare", () => {
    const channel = withField(channelExample, "runtime.operations.place_call", {
      method: "POST",
      url: "https://api.phaxio.com/v2.1/calls",
    });
    expect(problemsOf(registryWith(channel))).toEqual([
      problem("channel.phaxio.fax", "runtime.operations.place_call", "operation_not_declared"),
    ]);
  });

  it("rejects a declared channel operation the HTTP runtime does not implement", () => {
    const channel = withField(channelExample, "operations", [
      "send_fax",
      "get_status",
      "send_message",
    ]);
    expect(problemsOf(registryWith(channel))).toEqual([
      problem(
        "channel.phaxio.fax",
        "operations[2]",
        "operation_not_implemented",
        'operation "send_message" has no entry in runtime.operations',
      ),
    ]);
  });

  it("rejects an action executor whose HTTP auth names a secret missing from secretKeys", () => {
    const executor = withField(actionExecutorExample, "runtime.auth.tokenSecret", "gmail_token");
    expect(problemsOf(registryWith(executor))).toEqual([
      problem("action.gmail-send", "runtime.auth.tokenSecret", "secret_not_declared"),
    ]);
  });

  it("rejects an action executor HTTP operation other than its action kind and get_status", () => {
    const executor = withField(actionExecutorExample, "runtime.operations.refund", {
      method: "POST",
      url: "https://gmail.googleapis.com/refund",
    });
    expect(problemsOf(registryWith(executor))).toEqual([
      problem(
        "action.gmail-send",
        "runtime.operations.refund",
        "operation_not_declared",
        'operation "refund" is not one of the declared operations (send_email, get_status)',
      ),
    ]);
  });

  it("rejects an action executor whose HTTP runtime does not implement its action kind", () => {
    const executor = withField(actionExecutorExample, "actionKind", "send_fax");
    const problems = problemsOf(registryWith(executor));
    expect(problems).toContainEqual(
      problem(
        "action.gmail-send",
        "runtime.operations",
        "operation_not_implemented",
        'expected an operation named after the action kind, "send_fax"',
      ),
    );
  });

  it("rejects an HTTP runtime with no operations at all", () => {
    const executor = withField(actionExecutorExample, "runtime.operations", {});
    expect(problemsOf(registryWith(executor))).toEqual([
      problem("action.gmail-send", "runtime.operations", "operations_empty"),
      problem("action.gmail-send", "runtime.operations", "operation_not_implemented"),
    ]);
  });
});

describe("checkRegistry on connectors", () => {
  it("rejects a realtime connector without a realtime sync mode", () => {
    const connector = withField(connectorExample, "syncModes", ["full", "incremental"]);
    expect(problemsOf(registryWith(connector))).toEqual([
      problem(
        "connector.hubspot",
        "syncModes",
        "realtime_sync_missing",
        'realtime is true, so syncModes must include "realtime"',
      ),
    ]);
  });
});

describe("checkRegistry on hook order", () => {
  it("rejects before constraints that form a cycle, at each constraint closing it", () => {
    const first = withFields(hookExample, { id: "hook.first", before: ["hook.second"] });
    const second = withFields(hookExample, { id: "hook.second", before: ["hook.first"] });
    expect(problemsOf(registryWith(first, second))).toEqual([
      problem("hook.first", "before[0]", "hook_order_cycle"),
      problem("hook.second", "before[0]", "hook_order_cycle"),
    ]);
  });

  it("points a cycle made of after constraints at those after entries", () => {
    const first = withFields(hookExample, { id: "hook.first", after: ["hook.second"] });
    const second = withFields(hookExample, { id: "hook.second", after: ["hook.first"] });
    expect(problemsOf(registryWith(first, second))).toEqual([
      problem(
        "hook.first",
        "after[0]",
        "hook_order_cycle",
        'this hook runs after "hook.second", but "hook.second" also runs after it (directly or through other hooks): the constraints form a cycle',
      ),
      problem("hook.second", "after[0]", "hook_order_cycle"),
    ]);
  });

  it("rejects an order constraint on a hook of another ring", () => {
    const audit = withFields(hookExample, {
      id: "hook.audit",
      ring: "post_flight",
      after: ["hook.rate-limit"],
    });
    expect(problemsOf(registryWith(audit))).toEqual([
      problem(
        "hook.audit",
        "after[0]",
        "hook_order_cross_ring",
        '"hook.rate-limit" runs in ring pre_flight, not post_flight; order constraints apply within one ring',
      ),
    ]);
  });

  it("rejects a hook ordered relative to itself", () => {
    const hook = withField(hookExample, "before", ["hook.rate-limit"]);
    expect(problemsOf(registryWith(hook))).toEqual([
      problem(
        "hook.rate-limit",
        "before[0]",
        "hook_order_self",
        "a hook cannot be ordered relative to itself",
      ),
    ]);
  });
});
