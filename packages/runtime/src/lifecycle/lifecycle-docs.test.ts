import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DiscoverySettingsSchema } from "./discover-plugins.js";
import { INSTANCE_STATES, INSTANCE_TRANSITIONS } from "./instance-states.js";
import { LIFECYCLE_ERRORS } from "./lifecycle-errors.js";
import { LifecycleSettingsSchema, PluginSetSettingsSchema } from "./lifecycle-settings.js";
import { restartDelay } from "./restart-backoff.js";

const page = readFileSync(new URL("../../../../docs/lifecycle.md", import.meta.url), "utf8");

/** The text under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/lifecycle.md has no "## ${heading}"`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/** The body rows of the tables in a section (`which`: 0 for the first), as trimmed cells. */
function tableRows(heading: string, which = 0): string[][] {
  const tables: string[][] = [];
  let previous = false;
  for (const line of section(heading).split("\n")) {
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

const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");

function expectDefaults(rows: string[][], values: Readonly<Record<string, unknown>>): void {
  const defaults = new Map(Object.entries(values));
  expect(rows.map(([name = ""]) => spans(name)[0]).sort()).toEqual([...defaults.keys()].sort());
  for (const [name = "", value = ""] of rows) {
    expect(value, name).toBe(String(defaults.get(spans(name)[0] ?? "")));
  }
}

describe("docs/lifecycle.md", () => {
  it("lists every instance state with the states that may follow it", () => {
    const rows = tableRows("States");
    expect(rows.map(([state = ""]) => spans(state)[0])).toEqual([...INSTANCE_STATES]);
    for (const [state = "", , next = ""] of rows) {
      const name = spans(state)[0] ?? "";
      const allowed = Object.entries(INSTANCE_TRANSITIONS).find(([from]) => from === name)?.[1];
      expect(spans(next), name).toEqual(allowed);
    }
  });

  it("lists every instance setting with its default", () => {
    expectDefaults(tableRows("Settings", 0), LifecycleSettingsSchema.parse({}));
  });

  it("lists every plugin set setting with its default", () => {
    expectDefaults(tableRows("Settings", 1), PluginSetSettingsSchema.parse({}));
  });

  it("lists every discovery cap with its default", () => {
    expectDefaults(tableRows("Discovery"), DiscoverySettingsSchema.parse({}));
  });

  it("gives the restart delays the default settings produce", () => {
    const settings = LifecycleSettingsSchema.parse({});
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => restartDelay(settings, attempt) / 1_000);
    const text = `${delays.slice(0, -1).join(" s, ")} s, then ${delays.at(-1)} s`;
    expect(section("Health and restarts").replace(/\s+/g, " ")).toContain(text);
  });

  it("lists every lifecycle error code with its status", () => {
    const rows = tableRows("Errors");
    expect(rows.map(([code = ""]) => spans(code)[0]).sort()).toEqual(
      Object.keys(LIFECYCLE_ERRORS).sort(),
    );
    for (const [code = "", status = ""] of rows) {
      const entry = Object.entries(LIFECYCLE_ERRORS).find(([name]) => name === spans(code)[0]);
      expect(status, code).toBe(String(entry?.[1].status));
    }
  });
});
