import { describe, expect, it } from "vitest";
import { withField, withoutField } from "../testing/edit-manifest.js";
import { EXAMPLE_MANIFESTS } from "../testing/example-manifests.js";
import { validateManifest } from "../validate-manifest.js";
import { BUILT_IN_KINDS, PLUGIN_KINDS, type PluginKind } from "./built-in-kinds.js";

const ID_CONVENTIONS: Record<
  PluginKind,
  { readonly valid: readonly string[]; readonly invalid: readonly string[] }
> = {
  connection_provider: {
    valid: ["provider.gmail", "provider.google-drive", "provider.gmail.read-only", "provider.m365"],
    invalid: [
      "provider",
      "provider.",
      "provider.Gmail",
      "provider.gmail_api",
      "provider.gmail.read.only",
      "providers.gmail",
      "provider.-gmail",
      "provider.gmail-",
      "provider..gmail",
    ],
  },
  ingress_adapter: {
    valid: ["ingress.gmail.watch", "ingress.smtp-relay.forward-email"],
    invalid: ["ingress.gmail", "ingress.gmail.watch.push", "ingress..watch", "ingress.gmail.Watch"],
  },
  action_executor: {
    valid: ["action.smtp-send", "action.gmail-send-draft", "action.m365-send"],
    invalid: [
      "action.send",
      "action.smtp_send",
      "action.smtp-",
      "action.-send",
      "action.smtp-send.x",
    ],
  },
  worker_pack: {
    valid: ["worker-pack.follow-up", "worker-pack.proposal"],
    invalid: [
      "worker-pack",
      "worker-pack.follow_up",
      "workerpack.follow-up",
      "worker_pack.follow-up",
      "worker-pack.follow-up.v1",
    ],
  },
  channel: {
    valid: ["channel.twilio", "channel.twilio.sms", "channel.phaxio.fax"],
    invalid: ["channel", "channel.twilio.sms.us", "channel.Twilio"],
  },
  connector: {
    valid: ["connector.hubspot", "connector.google-sheets"],
    invalid: ["connector", "connector.hubspot.contacts", "connector.hub_spot"],
  },
  rule_operator: {
    valid: ["operator.comms"],
    invalid: ["operator", "operator.comms.calls", "operators.comms", "operator.Comms"],
  },
  hook: {
    valid: ["hook.rate-limit", "hook.pii-redaction"],
    invalid: ["hook", "hook.rate.limit", "hook.Rate", "hook.rate_limit", "hooks.rate-limit"],
  },
};

const SETUP_STEPS_REQUIRED: readonly PluginKind[] = [
  "connection_provider",
  "ingress_adapter",
  "action_executor",
  "worker_pack",
];

describe("the built-in kinds", () => {
  it("are the eight kinds of the model, named once, in registry order", () => {
    expect(PLUGIN_KINDS).toEqual([
      "connection_provider",
      "ingress_adapter",
      "action_executor",
      "worker_pack",
      "channel",
      "connector",
      "rule_operator",
      "hook",
    ]);
    expect(BUILT_IN_KINDS.map((kind) => kind.name)).toEqual(PLUGIN_KINDS);
  });

  describe.each(PLUGIN_KINDS)("%s ids", (kind) => {
    const example = EXAMPLE_MANIFESTS[kind];
    const definition = BUILT_IN_KINDS.find((candidate) => candidate.name === kind);

    it.each(ID_CONVENTIONS[kind].valid)("accepts %s", (id) => {
      expect(validateManifest(withField(example, "id", id)).success).toBe(true);
      expect(definition?.idPattern.test(id)).toBe(true);
    });

    it.each(ID_CONVENTIONS[kind].invalid)("rejects %s, naming the convention", (id) => {
      const result = validateManifest(withField(example, "id", id));
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.issues).toEqual([
        {
          path: "id",
          code: "invalid_format",
          message: `expected an id of the form ${definition?.idConvention}`,
        },
      ]);
    });
  });

  it.each(SETUP_STEPS_REQUIRED)("require setup steps on a %s", (kind) => {
    const result = validateManifest(withoutField(EXAMPLE_MANIFESTS[kind], "setupSteps"));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(["setupSteps"]);
  });

  it.each(PLUGIN_KINDS.filter((kind) => !SETUP_STEPS_REQUIRED.includes(kind)))(
    "leave setup steps optional on a %s",
    (kind) => {
      const withSteps = withField(EXAMPLE_MANIFESTS[kind], "setupSteps", [
        { id: "configure", title: "Configure", description: "Set it up.", ctaLabel: "Open" },
      ]);
      expect(validateManifest(withSteps).success).toBe(true);
      expect(validateManifest(withoutField(withSteps, "setupSteps")).success).toBe(true);
    },
  );

  it("requires a priority on hooks, where other kinds may leave it out", () => {
    const result = validateManifest(withoutField(EXAMPLE_MANIFESTS.hook, "priority"));
    expect(result.success).toBe(false);
    expect(validateManifest(withoutField(EXAMPLE_MANIFESTS.connector, "priority")).success).toBe(
      true,
    );
  });

  it("lets only action executors and channels use the declarative HTTP runtime", () => {
    const httpRuntime = EXAMPLE_MANIFESTS.action_executor.runtime;
    expect(
      validateManifest(withField(EXAMPLE_MANIFESTS.channel, "runtime", httpRuntime)).success,
    ).toBe(true);
    for (const kind of ["connection_provider", "connector", "hook", "worker_pack"] as const) {
      const result = validateManifest(withField(EXAMPLE_MANIFESTS[kind], "runtime", httpRuntime));
      expect(result.success).toBe(false);
    }
  });
});
