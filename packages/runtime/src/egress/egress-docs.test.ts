import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EGRESS_ERRORS } from "./egress-errors.js";
import { EgressHostPolicySchema } from "./egress-policy.js";
import { EGRESS_METHODS } from "./egress-request.js";
import {
  FORBIDDEN_ADDRESS_CATEGORIES,
  FORBIDDEN_RANGES,
  GLOBAL_UNICAST,
  NAT64,
} from "./forbidden-addresses.js";

const page = readFileSync(new URL("../../../../docs/egress.md", import.meta.url), "utf8");

/** The body rows of the table under a `## ` heading, split into trimmed cells. */
function tableRows(heading: string): string[][] {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/egress.md has no "## ${heading}"`);
  const end = page.indexOf("\n## ", start + 1);
  const lines = page.slice(start, end === -1 ? undefined : end).split("\n");
  return lines
    .filter((line) => line.startsWith("|"))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
}

function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
}

// A single address is written without its /32 or /128.
function asWritten(cidr: string): string {
  return cidr.replace(cidr.includes(":") ? /\/128$/ : /\/32$/, "");
}

describe("docs/egress.md", () => {
  it("lists every host policy setting, and no other", () => {
    const settings = tableRows("The policy").map(([name = ""]) => codeSpans(name)[0]);
    expect(settings.sort()).toStrictEqual(Object.keys(EgressHostPolicySchema.shape).sort());
  });

  it("lists every forbidden range under its category", () => {
    const documented = new Map<string, string[]>();
    for (const [category = "", ranges = ""] of tableRows("Forbidden addresses")) {
      const name = codeSpans(category)[0] ?? "";
      documented.set(name, [...(documented.get(name) ?? []), ...codeSpans(ranges)]);
    }
    expect([...documented.keys()].sort()).toStrictEqual([...FORBIDDEN_ADDRESS_CATEGORIES].sort());
    for (const [cidr, category] of FORBIDDEN_RANGES) {
      expect(documented.get(category), `${cidr} under ${category}`).toContain(asWritten(cidr));
    }
    expect(documented.get("ipv4_translated")).toContain(NAT64.cidr);
    expect(page).toContain(`all IPv6 outside \`${GLOBAL_UNICAST.cidr}\``);
  });

  it("lists every error reason with its status and whether the policy denied it", () => {
    const rows = tableRows("Errors").map(([reason = "", status = "", denied = ""]) => [
      codeSpans(reason)[0],
      Number(status),
      denied === "yes",
    ]);
    expect(rows).toStrictEqual(
      Object.entries(EGRESS_ERRORS).map(([reason, { status, denied }]) => [reason, status, denied]),
    );
  });

  it("names every method the guard sends", () => {
    const line = page.split("\n").find((text) => text.startsWith("- Methods:")) ?? "";
    expect(codeSpans(line)).toStrictEqual([...EGRESS_METHODS]);
  });
});
