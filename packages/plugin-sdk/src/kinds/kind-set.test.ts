import { describe, expect, it } from "vitest";
import { PlugboardError } from "../errors.js";
import { BUILT_IN_KINDS, PLUGIN_KINDS } from "./built-in-kinds.js";
import { defineKind } from "./define-kind.js";
import { hookKind } from "./hook.js";
import { builtInKindSet, createKindSet } from "./kind-set.js";

const faxProviderKind = defineKind({
  name: "fax_provider",
  idPattern: /^fax\.[a-z][a-z0-9-]*$/,
  idConvention: "fax.<vendor>",
  fields: {},
});

describe("createKindSet", () => {
  it("keeps the kinds in the order given and finds each by name", () => {
    const set = createKindSet([...BUILT_IN_KINDS, faxProviderKind]);
    expect(set.names).toEqual([...PLUGIN_KINDS, "fax_provider"]);
    expect(set.get("fax_provider")).toBe(faxProviderKind);
    expect(set.get("hook")).toBe(hookKind);
  });

  it("finds nothing for an unknown name, including names every object inherits", () => {
    for (const name of ["fax", "Hook", "toString", "constructor", "__proto__", ""]) {
      expect(builtInKindSet.get(name)).toBeUndefined();
    }
  });

  it("holds exactly the built-in kinds by default", () => {
    expect(builtInKindSet.names).toEqual(PLUGIN_KINDS);
    expect(builtInKindSet.kinds).toEqual(BUILT_IN_KINDS);
  });

  it("rejects a second kind with a name already in the set", () => {
    const secondHook = defineKind({
      name: "hook",
      idPattern: /^hook\.[a-z]+$/,
      idConvention: "hook.<name>",
      fields: {},
    });
    let thrown: unknown;
    try {
      createKindSet([...BUILT_IN_KINDS, secondHook]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlugboardError);
    expect((thrown as PlugboardError).code).toBe("PLUGBOARD_KIND_INVALID");
    expect((thrown as PlugboardError).message).toBe('kind "hook" is defined twice');
  });

  it("rejects the same host kind passed twice", () => {
    expect(() => createKindSet([faxProviderKind, faxProviderKind])).toThrow(
      'kind "fax_provider" is defined twice',
    );
  });
});
