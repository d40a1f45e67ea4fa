import { PlugboardError } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { createEgressPolicy, egressGrantsFromPermissions } from "./egress-policy.js";

describe("egressGrantsFromPermissions", () => {
  it("takes the outbound hosts and ports from a manifest's permissions", () => {
    expect(
      egressGrantsFromPermissions([
        "network:outbound:api.example.com",
        "storage:read",
        "network:inbound",
        "network:outbound:files.example.com:8443",
        "event:publish:comms.*",
      ]),
    ).toStrictEqual([{ host: "api.example.com" }, { host: "files.example.com", port: 8443 }]);
  });

  it("grants nothing from an empty list", () => {
    expect(egressGrantsFromPermissions([])).toStrictEqual([]);
  });

  it("refuses a string that is not a permission", () => {
    expect(() => egressGrantsFromPermissions(["network:outbound:*.example.com"])).toThrow(
      PlugboardError,
    );
  });
});

describe("createEgressPolicy", () => {
  it("fills the caps with their defaults and grants nothing by default", () => {
    expect(createEgressPolicy([])).toStrictEqual({
      grants: [],
      plainHttpHosts: [],
      loopbackHosts: [],
      maxResponseBytes: 5 * 1024 * 1024,
      timeoutMs: 30_000,
      maxRedirects: 5,
      trustedCertificates: [],
    });
  });

  it("normalises every host it is given", () => {
    const policy = createEgressPolicy([{ host: "API.Example.com." }, { host: "bücher.example" }], {
      plainHttpHosts: ["Test.Local."],
      loopbackHosts: ["TEST.local"],
    });
    expect(policy.grants).toStrictEqual([
      { host: "api.example.com" },
      { host: "xn--bcher-kva.example" },
    ]);
    expect(policy.plainHttpHosts).toStrictEqual(["test.local"]);
    expect(policy.loopbackHosts).toStrictEqual(["test.local"]);
  });

  it("refuses a host that is not a host name, naming where it is", () => {
    let thrown: unknown;
    try {
      createEgressPolicy([{ host: "api.example.com/v1" }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ZodError);
    expect((thrown as ZodError).issues[0]).toMatchObject({
      path: ["grants", 0, "host"],
      message: 'expected a host name such as api.example.com, got "api.example.com/v1"',
    });
  });

  it.each([
    ["a port of 0", [{ host: "api.example.com", port: 0 }], {}],
    ["a port over 65535", [{ host: "api.example.com", port: 65_536 }], {}],
    ["a zero response cap", [], { maxResponseBytes: 0 }],
    ["a negative redirect limit", [], { maxRedirects: -1 }],
    ["a fractional timeout", [], { timeoutMs: 1.5 }],
  ])("refuses %s", (_label, grants, hostPolicy) => {
    expect(() => createEgressPolicy(grants, hostPolicy)).toThrow(ZodError);
  });

  it("refuses a setting it does not know", () => {
    // @ts-expect-error an unknown setting, as a hand-written config file could hold
    expect(() => createEgressPolicy([], { allowEverything: true })).toThrow(ZodError);
  });
});
