import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTEXT_ERRORS } from "../context/context-errors.js";
import { ContextLimitsSchema } from "../context/context-limits.js";
import { SANDBOX_ERRORS } from "./sandbox-errors.js";
import { SandboxLimitsSchema } from "./sandbox-limits.js";

const page = readFileSync(new URL("../../../../docs/sandbox.md", import.meta.url), "utf8");

/** The body rows of a table under a `## ` heading (`which`: 0 for the first), as trimmed cells. */
function tableRows(heading: string, which = 0): string[][] {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/sandbox.md has no "## ${heading}"`);
  const end = page.indexOf("\n## ", start + 1);
  const tables: string[][] = [];
  let previous = false;
  for (const line of page.slice(start, end === -1 ? undefined : end).split("\n")) {
    const row = line.startsWith("|");
    if (row && !previous) tables.push([]);
    if (row) tables.at(-1)?.push(line);
    previous = row;
  }
  return (tables[which] ?? []).slice(2).map((line) =>
    line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim()),
  );
}

const code = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? "";

describe("docs/sandbox.md", () => {
  it("lists every sandbox limit with its default", () => {
    const defaults = new Map(Object.entries(SandboxLimitsSchema.parse({})));
    const rows = tableRows("Limits");
    expect(rows.map(([name = ""]) => code(name)).sort()).toStrictEqual([...defaults.keys()].sort());
    for (const [name = "", value = ""] of rows) {
      expect(value.replaceAll("`", ""), name).toBe(String(defaults.get(code(name))));
    }
  });

  it("names every context limit", () => {
    const section = page.slice(page.indexOf("\n## Limits\n"), page.indexOf("\n## Failures\n"));
    for (const name of Object.keys(ContextLimitsSchema.shape))
      expect(section).toContain(`\`${name}\``);
  });

  it("lists every sandbox error code with whether it marks the plugin unhealthy", () => {
    const rows = tableRows("Failures", 0);
    expect(rows.map(([name = ""]) => code(name)).sort()).toStrictEqual(
      Object.keys(SANDBOX_ERRORS).sort(),
    );
    const marks = new Map(
      Object.entries(SANDBOX_ERRORS).map(([key, entry]) => [key, entry.unhealthy]),
    );
    for (const [name = "", unhealthy = ""] of rows) {
      expect(unhealthy, name).toBe(marks.get(code(name)) === true ? "yes" : "no");
    }
  });

  it("lists every context error code", () => {
    const rows = tableRows("Failures", 1);
    expect(rows.map(([name = ""]) => code(name)).sort()).toStrictEqual(
      Object.keys(CONTEXT_ERRORS).sort(),
    );
  });
});
