import { readFileSync } from "node:fs";
import { HOOK_RINGS, HookResultSchema, hookKind } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { BreakerSettingsSchema } from "./circuit-breaker.js";
import { HOOK_FAILURE_KINDS } from "./hook.js";
import { HOOK_ERRORS } from "./hook-errors.js";

const page = readFileSync(new URL("../../../../docs/hooks.md", import.meta.url), "utf8");

/** The text under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/hooks.md has no "## ${heading}"`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/** The body rows of the first table in a section, split into trimmed cells. */
function tableRows(heading: string): string[][] {
  return section(heading)
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
const firstSpans = (heading: string) => tableRows(heading).map(([cell = ""]) => codeSpans(cell)[0]);

describe("docs/hooks.md", () => {
  it("describes only fields a hook manifest has, and every ring", () => {
    const fields = firstSpans("Where a hook runs");
    expect(Object.keys(hookKind.schema.shape)).toEqual(expect.arrayContaining(fields));
    const ringCell = tableRows("Where a hook runs").find(([name]) => name === "`ring`")?.[1] ?? "";
    expect(codeSpans(ringCell)).toEqual([...HOOK_RINGS]);
  });

  it("lists every result action", () => {
    const actions = HookResultSchema.options.map((option) => option.shape.action.value);
    const documented = firstSpans("What a hook sees and returns").map(
      (span) => /action: "(\w+)"/.exec(span ?? "")?.[1],
    );
    expect(documented).toEqual(actions);
  });

  it("lists every failure kind", () => {
    expect(firstSpans("When a hook fails")).toEqual([...HOOK_FAILURE_KINDS]);
  });

  it("gives the breaker's defaults", () => {
    const { failureThreshold, coolDownMs } = BreakerSettingsSchema.parse({});
    const text = section("When a hook fails");
    expect(text).toContain(`(default ${failureThreshold})`);
    expect(text).toContain(`\`coolDownMs\` (default ${coolDownMs.toLocaleString("en-US")})`);
  });

  it("lists every error code with its status", () => {
    const documented = tableRows("Errors").map(([code = "", status = ""]) => [
      codeSpans(code)[0],
      Number(status),
    ]);
    expect(documented).toEqual(
      Object.entries(HOOK_ERRORS).map(([code, { status }]) => [code, status]),
    );
  });
});
