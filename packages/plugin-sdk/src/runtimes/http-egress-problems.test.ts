import { describe, expect, it } from "vitest";
import { checkRegistry } from "../registry/check-registry.js";
import { EXAMPLE_MANIFESTS } from "../testing/example-manifests.js";
import { httpEgressProblems } from "./http-egress-problems.js";
import type { HttpRuntime } from "./http-runtime.js";

const runtime = (url: string, allowedDomains = ["api.fax.example"]): HttpRuntime => ({
  type: "http",
  allowedDomains,
  auth: { scheme: "none" },
  operations: { send_fax: { method: "POST", url } },
});
const granted = ["network:outbound:api.fax.example"];

describe("httpEgressProblems", () => {
  it("accepts an https URL on an allowed, granted host", () => {
    expect(
      httpEgressProblems(runtime("https://api.fax.example/v1/faxes?x={{ input.to }}"), granted),
    ).toEqual([]);
  });

  it("accepts a granted host with a port", () => {
    expect(
      httpEgressProblems(runtime("https://api.fax.example:8443/v1"), [
        "network:outbound:api.fax.example:8443",
      ]),
    ).toEqual([]);
  });

  it.each([
    ["plain http", "http://api.fax.example/v1"],
    ["a placeholder in the host", "https://{{ input.host }}/v1"],
    ["a placeholder before the host", "{{ config.baseUrl }}/v1"],
    ["userinfo before the host", "https://user@api.fax.example/v1"],
  ])("rejects %s at the operation's url", (_label, url) => {
    expect(httpEgressProblems(runtime(url), granted)).toEqual([
      expect.objectContaining({
        path: "runtime.operations.send_fax.url",
        code: "url_origin_not_literal",
      }),
    ]);
  });

  it("rejects a host outside allowedDomains, including a suffix trick", () => {
    const problems = httpEgressProblems(
      runtime("https://api.fax.example.evil.example/v1"),
      granted,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: "runtime.operations.send_fax.url",
        code: "url_host_not_allowed",
      }),
    ]);
  });

  it("rejects an allowed domain that no network:outbound permission grants", () => {
    expect(httpEgressProblems(runtime("https://api.fax.example/v1"), [])).toEqual([
      expect.objectContaining({ path: "runtime.allowedDomains[0]", code: "permission_missing" }),
    ]);
  });
});

describe("egress and inbound rules through checkRegistry", () => {
  const all = Object.values(EXAMPLE_MANIFESTS);

  it("reports a channel whose operation URL leaves its allowed domains", () => {
    const channel = structuredClone(EXAMPLE_MANIFESTS.channel);
    if (channel.runtime?.type !== "http")
      throw new Error("the channel example has an HTTP runtime");
    const [name, operation] = Object.entries(channel.runtime.operations)[0] ?? [];
    if (name === undefined || operation === undefined)
      throw new Error("the example has an operation");
    operation.url = "https://elsewhere.example/send";
    const result = checkRegistry([...all.filter((m) => m.id !== channel.id), channel]);
    expect(result.success ? [] : result.problems).toContainEqual(
      expect.objectContaining({
        manifestId: channel.id,
        path: `runtime.operations.${name}.url`,
        code: "url_host_not_allowed",
      }),
    );
  });

  it("reports an ingress adapter without network:inbound", () => {
    const adapter = { ...EXAMPLE_MANIFESTS.ingress_adapter, permissions: [] };
    const result = checkRegistry([...all.filter((m) => m.id !== adapter.id), adapter]);
    expect(result.success ? [] : result.problems).toEqual([
      expect.objectContaining({
        manifestId: adapter.id,
        path: "permissions",
        code: "permission_missing",
      }),
    ]);
  });
});
