import { PLUGIN_RUNTIME_STATES } from "@plugboard/contracts";
import { INSTANCE_STATES } from "@plugboard/runtime";
import { describe, expect, it } from "vitest";

describe("the runtime states the API shows", () => {
  it("include every state of the lifecycle manager's instances", () => {
    expect(PLUGIN_RUNTIME_STATES).toEqual(expect.arrayContaining([...INSTANCE_STATES]));
  });

  it("add only the host's own states for plugins without an instance", () => {
    const lifecycle = new Set<string>(INSTANCE_STATES);
    const own = PLUGIN_RUNTIME_STATES.filter((state) => !lifecycle.has(state));
    expect(own).toEqual(["not_running", "ready"]);
  });
});
