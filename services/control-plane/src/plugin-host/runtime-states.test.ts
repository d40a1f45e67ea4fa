import {
  HOOK_BREAKER_STATES,
  HOOK_CALL_FAILURES,
  PLUGIN_RUNTIME_STATES,
} from "@plugboard/contracts";
import { BREAKER_STATES, HOOK_FAILURE_KINDS, INSTANCE_STATES } from "@plugboard/runtime";
import { describe, expect, it } from "vitest";

describe("the runtime states the API shows", () => {
  it("include every state of the lifecycle manager's instances", () => {
    expect(PLUGIN_RUNTIME_STATES).toEqual(expect.arrayContaining([...INSTANCE_STATES]));
  });

  it("add only the host's own states for plugins without an instance", () => {
    const lifecycle = new Set<string>(INSTANCE_STATES);
    const own = PLUGIN_RUNTIME_STATES.filter((state) => !lifecycle.has(state));
    expect(own).toEqual(["not_running", "blocked", "ready"]);
  });

  it("name the hook engine's failure kinds and breaker states", () => {
    expect([...HOOK_CALL_FAILURES]).toEqual([...HOOK_FAILURE_KINDS]);
    expect([...HOOK_BREAKER_STATES]).toEqual([...BREAKER_STATES]);
  });
});
