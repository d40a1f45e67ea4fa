import { readFileSync } from "node:fs";
import { HTTP_AUTH_SCHEMES } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { HTTP_RESPONSE_WARNINGS } from "./http-response-mapping.js";
import { HTTP_RUNTIME_ERRORS } from "./http-runtime-errors.js";
import { HTTP_RUNTIME_WARNINGS } from "./http-runtime-warnings.js";

const page = readFileSync(new URL("../../../../docs/http-runtime.md", import.meta.url), "utf8");

/** The body rows of the tables under a `## ` heading (`which`: 0 for the first), as cells. */
function tableRows(heading: string, which = 0): string[][] {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/http-runtime.md has no "## ${heading}"`);
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

function retryableCell(retryable: boolean | "by_status"): string {
  if (retryable === "by_status") return "by status";
  return retryable ? "yes" : "no";
}

describe("docs/http-runtime.md", () => {
  it("lists every error code with its stage and whether it is retryable, in table order", () => {
    const rows = tableRows("Errors").map(([name = "", stage = "", retryable = ""]) => [
      code(name),
      stage,
      retryable,
    ]);
    expect(rows).toStrictEqual(
      Object.entries(HTTP_RUNTIME_ERRORS).map(([name, entry]) => [
        name,
        entry.stage,
        retryableCell(entry.retryable),
      ]),
    );
  });

  it("lists every response warning", () => {
    const rows = tableRows("Response mapping").map(([name = ""]) => code(name));
    expect(rows).toStrictEqual(Object.keys(HTTP_RESPONSE_WARNINGS));
  });

  it("lists every manifest warning", () => {
    const rows = tableRows("Warnings").map(([name = ""]) => code(name));
    expect(rows).toStrictEqual(Object.keys(HTTP_RUNTIME_WARNINGS));
  });

  it("describes each auth scheme once", () => {
    const rows = tableRows("Auth").map(([name = ""]) => code(name));
    expect(rows).toStrictEqual([...HTTP_AUTH_SCHEMES]);
  });
});
