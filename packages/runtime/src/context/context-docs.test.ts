import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContextLimitsSchema } from "./context-limits.js";

const docs = (name: string) =>
  readFileSync(new URL(`../../../../docs/${name}`, import.meta.url), "utf8");

/** The caps on what a plugin keeps and sends, which both guides list in a table. */
const QUOTAS = ["maxStorageKeys", "maxStorageBytes", "maxPublishPerSecond", "publishBurst"];

/** A default as the guides write it: whole MiB as "16 MiB", any other number as is. */
function asWritten(value: number): string {
  return value >= 1_048_576 && value % 1_048_576 === 0 ? `${value / 1_048_576} MiB` : String(value);
}

/** The rows of every table in `page` whose first cell is one of `names`, by name. */
function defaultsIn(page: string, names: readonly string[]): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of page.split("\n")) {
    const [name = "", value = ""] = line
      .split("|")
      .slice(1)
      .map((cell) => cell.trim());
    const bare = /^`([^`]+)`$/.exec(name)?.[1];
    if (bare !== undefined && names.includes(bare)) rows.set(bare, value);
  }
  return rows;
}

describe("the context limits in the guides", () => {
  const defaults = ContextLimitsSchema.parse({});

  it.each(["sandbox.md", "authoring.md"])("%s lists every quota with its default", (name) => {
    const rows = defaultsIn(docs(name), QUOTAS);
    expect([...rows.keys()].sort()).toStrictEqual([...QUOTAS].sort());
    for (const quota of QUOTAS) {
      const value = Object.entries(defaults).find(([key]) => key === quota)?.[1];
      expect(rows.get(quota), quota).toBe(typeof value === "number" ? asWritten(value) : "");
    }
  });
});
