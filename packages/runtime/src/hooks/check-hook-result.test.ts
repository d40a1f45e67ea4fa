import { HookResultSchema } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { checkHookResult } from "./check-hook-result.js";
import { HookCallFailure } from "./hook-call-failure.js";

const failureMessage = (value: unknown, pluginId = "hook.self") => {
  const checked = checkHookResult(value, pluginId);
  return checked instanceof HookCallFailure ? `${checked.kind}: ${checked.message}` : undefined;
};

describe("checkHookResult", () => {
  it.each<[string, unknown]>([
    ["a bare passthrough", { action: "passthrough" }],
    ["a passthrough with an extra field", { action: "passthrough", extra: 1 }],
    ["a passthrough inherited from a prototype", Object.create({ action: "passthrough" })],
    ["an array posing as a passthrough", Object.assign([], { action: "passthrough" })],
    ["a passthrough with metadata", { action: "passthrough", metadata: { "hook.self": 1 } }],
    ["a passthrough with an undefined field", { action: "passthrough", metadata: undefined }],
    ["a block", { action: "block", status: 403, type: "forbidden", message: "no" }],
    ["null", null],
    ["a string", "passthrough"],
  ])("agrees with the SDK schema on %s", (_, value) => {
    expect(checkHookResult(value, "hook.self") instanceof HookCallFailure).toBe(
      !HookResultSchema.safeParse(value).success,
    );
  });

  it("names the field and what was expected in a bad result", () => {
    expect(failureMessage({ action: "block", status: 200, type: "x", message: "m" })).toMatch(
      /^bad_result: returned an invalid result \(status: .*>=400/,
    );
  });

  it("accepts metadata written under the hook's own plugin id", () => {
    expect(failureMessage({ action: "modify", metadata: { "hook.self": { user: "u1" } } })).toBe(
      undefined,
    );
  });

  it("rejects metadata written under another plugin's id", () => {
    expect(
      failureMessage({
        action: "passthrough",
        metadata: { "hook.self": 1, "hook.auth": { user: "admin" } },
      }),
    ).toBe(
      'bad_result: wrote metadata under "hook.auth"; a hook writes metadata only under its own id "hook.self"',
    );
  });

  it("rejects a body that contains itself, which a host could not serialise", () => {
    const body: Record<string, unknown> = {};
    body.self = body;
    expect(failureMessage({ action: "respond", status: 200, body })).toContain("contains itself");
  });
});
