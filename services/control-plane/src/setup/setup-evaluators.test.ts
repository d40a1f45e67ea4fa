import type { ConfigValues } from "@plugboard/contracts";
import {
  firstPartyManifests,
  followUpWorkerPack,
  rateLimitHook,
  smtpRelayProvider,
} from "@plugboard/plugin-manifests";
import { describe, expect, it } from "vitest";
import { FIRST_PARTY_SETUP_EVALUATORS } from "./first-party-setup-evaluators.js";
import {
  assertSetupEvaluators,
  checkSetupEvaluators,
  configValid,
  createSetupEvaluatorRegistry,
  evaluateSetupCheck,
  providerConnected,
  SetupEvaluatorError,
  type SetupFacts,
  secretsStored,
  workerInstalled,
} from "./setup-evaluators.js";

const problemsOf = (...evaluators: Parameters<typeof createSetupEvaluatorRegistry>[0]) =>
  checkSetupEvaluators(createSetupEvaluatorRegistry(evaluators), firstPartyManifests);

const noFacts: SetupFacts = {
  storedSecrets: new Map(),
  connectedProviders: new Set(),
  installedWorkerPacks: new Set(),
  configs: new Map(),
};

describe("setup evaluator registry", () => {
  it("fits every first-party evaluator to a real plugin and step", () => {
    const registry = createSetupEvaluatorRegistry(FIRST_PARTY_SETUP_EVALUATORS);
    expect(checkSetupEvaluators(registry, firstPartyManifests)).toEqual([]);
    expect(registry.size).toBe(FIRST_PARTY_SETUP_EVALUATORS.length);
  });

  it("fails start-up for a key that names no plugin", () => {
    const registry = createSetupEvaluatorRegistry([
      { key: "provider.fax:fax-credentials", check: secretsStored() },
    ]);
    expect(() => assertSetupEvaluators(registry, firstPartyManifests)).toThrow(SetupEvaluatorError);
    expect(() => assertSetupEvaluators(registry, firstPartyManifests)).toThrow(
      'setup evaluator provider.fax:fax-credentials: no plugin has id "provider.fax"',
    );
  });

  it("fails start-up for a key that names no step of its plugin, listing the steps", () => {
    expect(problemsOf({ key: "provider.smtp-relay:smtp-login", check: secretsStored() })).toEqual([
      'setup evaluator provider.smtp-relay:smtp-login: provider.smtp-relay has no setup step "smtp-login" (its steps: smtp-configure, smtp-verify)',
    ]);
  });

  it("fails start-up for a key without a plugin and a step", () => {
    expect(problemsOf({ key: "provider.smtp-relay:", check: secretsStored() })).toEqual([
      "setup evaluator provider.smtp-relay:: expected a key of the form <plugin id>:<step id>",
    ]);
  });

  it("fails start-up for a check that cannot apply to its plugin", () => {
    expect(
      problemsOf(
        { key: "hook.rate-limit:rate-limit-configure", check: secretsStored() },
        { key: "provider.smtp-relay:smtp-verify", check: workerInstalled() },
        { key: "provider.smtp-relay:smtp-configure", check: configValid() },
        { key: "worker-pack.follow-up:gmail-connect", check: providerConnected("fax") },
      ),
    ).toEqual([
      "setup evaluator hook.rate-limit:rate-limit-configure: checks stored secrets, but hook.rate-limit declares no secretKeys",
      "setup evaluator provider.smtp-relay:smtp-verify: checks for an installed worker, but provider.smtp-relay is a connection_provider, not a worker_pack",
      "setup evaluator provider.smtp-relay:smtp-configure: checks the saved config, but provider.smtp-relay declares no configSchema",
      expect.stringContaining(
        'setup evaluator worker-pack.follow-up:gmail-connect: checks provider "fax", but no connection-provider plugin has that provider key',
      ),
    ]);
  });

  it("refuses a key registered twice", () => {
    expect(() =>
      createSetupEvaluatorRegistry([
        { key: "provider.smtp-relay:smtp-configure", check: secretsStored() },
        { key: "provider.smtp-relay:smtp-configure", check: secretsStored() },
      ]),
    ).toThrow("setup evaluator provider.smtp-relay:smtp-configure: registered more than once");
  });
});

describe("evaluateSetupCheck", () => {
  it("counts credentials as done only when every secret key is stored", () => {
    const some = new Set(smtpRelayProvider.secretKeys.slice(1));
    const all = new Set(smtpRelayProvider.secretKeys);
    const facts = (keys: Set<string>) => ({
      ...noFacts,
      storedSecrets: new Map([[smtpRelayProvider.id, keys]]),
    });
    expect(evaluateSetupCheck(secretsStored(), smtpRelayProvider, facts(some))).toBe(false);
    expect(evaluateSetupCheck(secretsStored(), smtpRelayProvider, facts(all))).toBe(true);
  });

  it("follows the connection of the provider a step targets", () => {
    const check = providerConnected("smtp_relay");
    expect(evaluateSetupCheck(check, followUpWorkerPack, noFacts)).toBe(false);
    const connected = { ...noFacts, connectedProviders: new Set(["smtp_relay"]) };
    expect(evaluateSetupCheck(check, followUpWorkerPack, connected)).toBe(true);
  });

  it("counts a worker-pack install as done once a worker of that pack exists", () => {
    const installed = { ...noFacts, installedWorkerPacks: new Set(["follow_up_v1"]) };
    expect(evaluateSetupCheck(workerInstalled(), followUpWorkerPack, noFacts)).toBe(false);
    expect(evaluateSetupCheck(workerInstalled(), followUpWorkerPack, installed)).toBe(true);
  });

  it("counts settings as done only when the saved config satisfies the schema", () => {
    const withConfig = (config: ConfigValues): SetupFacts => ({
      ...noFacts,
      configs: new Map([[rateLimitHook.id, config]]),
    });
    expect(evaluateSetupCheck(configValid(), rateLimitHook, noFacts)).toBe(false);
    expect(evaluateSetupCheck(configValid(), rateLimitHook, withConfig({ maxRequests: 5 }))).toBe(
      false,
    );
    const complete = { maxRequests: 5, windowSeconds: 60, keyBy: "ip" };
    expect(evaluateSetupCheck(configValid(), rateLimitHook, withConfig(complete))).toBe(true);
  });
});
