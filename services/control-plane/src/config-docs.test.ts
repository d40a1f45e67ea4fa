import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "./config.js";

const docs = (page: string) =>
  readFileSync(new URL(`../../../docs/${page}`, import.meta.url), "utf8");

/** Each `VARIABLE` a page's tables name in their first column. */
function tableVariables(page: string): string[] {
  return [...docs(page).matchAll(/^\| `([A-Z_*]+)`/gm)].map((match) => match[1] ?? "");
}

describe("the settings in the operator docs", () => {
  const operating = tableVariables("operating-the-control-plane.md");
  const actions = tableVariables("actions.md");

  it("lists every setting the control plane reads, directly or on the page a row points to", () => {
    for (const name of SETTING_NAMES) {
      const documented =
        operating.includes(name) ||
        (name.startsWith("PLUGBOARD_ACTION_") &&
          operating.includes("PLUGBOARD_ACTION_*") &&
          actions.includes(name));
      expect(documented, `${name} is not documented`).toBe(true);
    }
  });

  it("documents no setting the control plane does not read", () => {
    for (const name of [...operating, ...actions]) {
      if (name.endsWith("*")) continue;
      expect(SETTING_NAMES, `${name} is documented but not read`).toContain(name);
    }
  });
});
