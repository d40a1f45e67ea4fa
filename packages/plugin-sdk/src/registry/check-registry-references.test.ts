import { describe, expect, it } from "vitest";
import { withField, withFields } from "../testing/edit-manifest.js";
import {
  actionExecutorExample,
  allExamples,
  connectionProviderExample,
  ingressAdapterExample,
  workerPackExample,
} from "../testing/example-manifests.js";
import { problem, problemsOf, registryWith } from "../testing/registry-problems.js";
import { checkRegistry } from "./check-registry.js";
import { PLUGBOARD_HOST } from "./host.js";

describe("checkRegistry on references", () => {
  it("rejects a required connection provider no manifest provides", () => {
    const pack = withField(workerPackExample, "requiredConnectionProviders", ["gmail", "notion"]);
    expect(problemsOf(registryWith(pack))).toEqual([
      problem(
        "worker-pack.follow-up",
        "requiredConnectionProviders[1]",
        "unresolved_reference",
        'connection provider "notion" is not provided by any manifest in the registry nor by the host',
      ),
    ]);
  });

  it("rejects an optional connection provider no manifest provides", () => {
    const pack = withField(workerPackExample, "optionalConnectionProviders", ["drive"]);
    expect(problemsOf(registryWith(pack))).toEqual([
      problem("worker-pack.follow-up", "optionalConnectionProviders[0]", "unresolved_reference"),
    ]);
  });

  it("rejects an ingress adapter whose provider no manifest provides", () => {
    const adapter = withField(ingressAdapterExample, "provider", "outlook");
    expect(problemsOf(registryWith(adapter))).toEqual([
      problem("ingress.gmail.watch", "provider", "unresolved_reference"),
    ]);
  });

  it("rejects an action executor destination no manifest provides", () => {
    const executor = withField(actionExecutorExample, "destinationProviders", ["gmail", "slack"]);
    expect(problemsOf(registryWith(executor))).toEqual([
      problem(
        "action.gmail-send",
        "destinationProviders[1]",
        "unresolved_reference",
        'write-capable connection provider "slack" is not provided by any manifest in the registry nor by the host',
      ),
    ]);
  });

  it("rejects an action executor destination whose provider cannot write", () => {
    const readOnly = withField(connectionProviderExample, "accessModes", ["read_only"]);
    expect(problemsOf(registryWith(readOnly))).toEqual([
      problem(
        "action.gmail-send",
        "destinationProviders[0]",
        "provider_not_write_capable",
        'provider "gmail" is not write-capable: no connection provider for it lists "write_capable" in accessModes',
      ),
    ]);
  });

  it("rejects an action kind of a worker pack that no executor or host provides", () => {
    const pack = withField(workerPackExample, "actionKinds", [
      "send_email",
      "save_work",
      "post_slack",
    ]);
    expect(problemsOf(registryWith(pack))).toEqual([
      problem("worker-pack.follow-up", "actionKinds[2]", "unresolved_reference"),
    ]);
  });

  it("rejects an input route kind of a worker pack that no adapter or host produces", () => {
    const pack = withField(workerPackExample, "supportedInputRouteKinds[3]", "sms_inbound");
    expect(problemsOf(registryWith(pack))).toEqual([
      problem("worker-pack.follow-up", "supportedInputRouteKinds[3]", "unresolved_reference"),
    ]);
  });

  it("rejects a connection provider's compatible route kind that nothing produces", () => {
    const provider = withField(
      connectionProviderExample,
      "compatibleInputRouteKinds[1]",
      "voicemail",
    );
    expect(problemsOf(registryWith(provider))).toEqual([
      problem(
        "provider.gmail",
        "compatibleInputRouteKinds[1]",
        "unresolved_reference",
        'input route kind "voicemail" is not provided by any manifest in the registry nor by the host',
      ),
    ]);
  });

  it("resolves chat, upload and save_work to the default host's native values", () => {
    expect(PLUGBOARD_HOST.routeKinds).toEqual(["chat", "upload"]);
    expect(PLUGBOARD_HOST.actionKinds).toEqual(["save_work"]);
    expect(workerPackExample.supportedInputRouteKinds).toEqual(
      expect.arrayContaining(["chat", "upload"]),
    );
    expect(workerPackExample.actionKinds).toContain("save_work");
    expect(checkRegistry(allExamples()).success).toBe(true);
  });

  it("does not resolve chat, upload and save_work for a host that does not declare them", () => {
    expect(problemsOf(allExamples(), { host: { plugboardVersion: "1.0.0" } })).toEqual([
      problem("worker-pack.follow-up", "supportedInputRouteKinds[0]", "unresolved_reference"),
      problem("worker-pack.follow-up", "supportedInputRouteKinds[1]", "unresolved_reference"),
      problem("worker-pack.follow-up", "actionKinds[1]", "unresolved_reference"),
    ]);
  });

  it("resolves a provider, route kind and action kind a custom host declares", () => {
    const pack = withFields(workerPackExample, {
      "supportedInputRouteKinds[3]": "sms_inbound",
      "actionKinds[2]": "print_letter",
      optionalConnectionProviders: ["intranet"],
    });
    const host = {
      ...PLUGBOARD_HOST,
      routeKinds: ["chat", "upload", "sms_inbound"],
      actionKinds: ["save_work", "print_letter"],
      providers: ["intranet"],
    };
    expect(checkRegistry(registryWith(pack), { host }).success).toBe(true);
  });
});

describe("checkRegistry with host-native write-capable providers", () => {
  const executor = {
    ...actionExecutorExample,
    id: "action.host-mail-send",
    destinationProviders: ["host_mailer"],
  };

  it("resolves an action destination the host declares write-capable", () => {
    const result = checkRegistry([executor], {
      host: { ...PLUGBOARD_HOST, writeCapableProviders: ["host_mailer"] },
    });
    expect(result.success ? [] : result.problems).toEqual([]);
  });

  it("refuses the same destination when the host declares it read-only", () => {
    const result = checkRegistry([executor], {
      host: { ...PLUGBOARD_HOST, providers: ["host_mailer"] },
    });
    expect(result.success ? [] : result.problems).toEqual([
      expect.objectContaining({
        manifestId: "action.host-mail-send",
        path: "destinationProviders[0]",
        code: "provider_not_write_capable",
      }),
    ]);
  });
});
