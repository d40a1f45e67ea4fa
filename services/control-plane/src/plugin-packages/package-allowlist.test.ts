import { describe, expect, it } from "vitest";
import { isPackageAllowed } from "./package-allowlist.js";

describe("isPackageAllowed", () => {
  it("admits a listed name and every package of a listed scope", () => {
    const allowlist = ["fax-tools", "@acme/*"];
    expect(isPackageAllowed("fax-tools", allowlist)).toBe(true);
    expect(isPackageAllowed("@acme/audit-hook", allowlist)).toBe(true);
  });

  it("admits nothing else, including look-alike names and scopes", () => {
    const allowlist = ["fax-tools", "@acme/*"];
    for (const name of ["fax-tools-evil", "fax", "@acme-evil/hook", "@other/fax-tools", "acme"]) {
      expect(isPackageAllowed(name, allowlist), name).toBe(false);
    }
  });

  it("admits nothing when the list is empty", () => {
    expect(isPackageAllowed("fax-tools", [])).toBe(false);
  });
});
