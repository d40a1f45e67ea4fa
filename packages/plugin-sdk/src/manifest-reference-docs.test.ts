import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseFields } from "./base-fields.js";
import {
  BUILT_IN_KINDS,
  ConfigPropertySchema,
  ConfigSchemaSchema,
  connectorKind,
  HttpAuthSchema,
  HttpBodySchema,
  HttpOperationSchema,
  HttpResponseMappingSchema,
  HttpRuntimeSchema,
  ManifestBaseSchema,
  ModuleRuntimeSchema,
  OperatorSchema,
  PLUGBOARD_API_VERSION,
  SetupStepSchema,
  SetupSurfaceTargetSchema,
  UiHintSchema,
} from "./index.js";
import * as knownValues from "./known-values.js";
import * as openVocabulary from "./open-vocabulary.js";
import * as vocabulary from "./vocabulary.js";

const reference = readFileSync(
  new URL("../../../docs/manifest-reference.md", import.meta.url),
  "utf8",
);

type Shape = Readonly<Record<string, z.ZodType>>;

/** The lines under each `## ` heading, keyed by the heading text. */
function readSections(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading?.[1] !== undefined) {
      current = [];
      sections.set(heading[1].trim(), current);
    } else {
      current?.push(line);
    }
  }
  return sections;
}

const sections = readSections(reference);

function section(title: string): string[] {
  const lines = sections.get(title);
  if (lines === undefined) throw new Error(`docs/manifest-reference.md has no "## ${title}"`);
  return lines;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Every table of a section, without header and separator rows. */
function tables(title: string): string[][][] {
  const found: string[][][] = [];
  let rows: string[] | undefined;
  for (const line of [...section(title), ""]) {
    if (line.trimStart().startsWith("|")) {
      rows ??= [];
      rows.push(line);
    } else if (rows !== undefined) {
      found.push(rows.slice(2).map(splitRow));
      rows = undefined;
    }
  }
  return found;
}

function firstTable(title: string): string[][] {
  const [table] = tables(title);
  if (table === undefined) throw new Error(`"## ${title}" has no table`);
  return table;
}

/** The text inside backticks of a cell that is one code span, such as `` `displayName` ``. */
function codeName(cell: string | undefined): string {
  const match = /^`([^`]+)`$/.exec(cell ?? "");
  if (match?.[1] === undefined) throw new Error(`expected a name in backticks, found "${cell}"`);
  return match[1];
}

/** Every code span of a cell, in order. */
function codeSpans(cell: string | undefined): string[] {
  return [...(cell ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
}

function isRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Compares a field table with a schema shape: the same names, and the same required column. */
function expectFieldTable(title: string, shape: Shape): void {
  const rows = firstTable(title);
  const documented = rows.map((row) => codeName(row[0]));
  const expected = Object.keys(shape);
  expect({
    undocumented: sorted(expected.filter((key) => !documented.includes(key))),
    notInSchema: sorted(documented.filter((key) => !expected.includes(key))),
  }).toEqual({ undocumented: [], notInSchema: [] });
  expect(documented.length, `"## ${title}" lists a field twice`).toBe(new Set(documented).size);
  for (const row of rows) {
    const name = codeName(row[0]);
    const schema = shape[name];
    if (schema === undefined) continue;
    expect(row[2], `required column of ${name} in "## ${title}"`).toBe(
      isRequired(schema) ? "yes" : "no",
    );
  }
}

/** The fields a kind adds to the base fields, or declares again with a different schema. */
function ownFields(shape: Shape): Shape {
  const base: Shape = baseFields;
  return Object.fromEntries(
    Object.entries(shape).filter(
      ([key, schema]) =>
        key !== "kind" && key !== "id" && (!Object.hasOwn(base, key) || base[key] !== schema),
    ),
  );
}

/** Compares a table of a discriminated union (one row per variant) with the union's options. */
function expectUnionTable(
  title: string,
  discriminator: string,
  options: readonly z.ZodObject[],
): void {
  const rows = firstTable(title);
  const documented = new Map(rows.map((row) => [codeName(row[0]), row[1] ?? ""]));
  const variants = new Map(
    options.map((option) => {
      const tag = option.shape[discriminator];
      const [value] = tag instanceof z.ZodLiteral ? tag.values : [];
      if (typeof value !== "string") {
        throw new Error(`an option of "${title}" has no literal ${discriminator}`);
      }
      return [value, option.shape] as const;
    }),
  );
  expect(sorted(documented.keys())).toEqual(sorted(variants.keys()));
  for (const [value, shape] of variants) {
    const cell = documented.get(value) ?? "";
    const fields = cell.split(",").flatMap((part) => {
      const name = codeSpans(part)[0];
      return name === undefined ? [] : [{ name, optional: part.includes("(optional)") }];
    });
    const expected = Object.entries(shape).filter(([key]) => key !== discriminator);
    expect(
      sorted(fields.map((field) => field.name)),
      `fields of ${value} in "## ${title}"`,
    ).toEqual(sorted(expected.map(([key]) => key)));
    for (const field of fields) {
      const schema = shape[field.name];
      if (schema === undefined) continue;
      expect(field.optional, `${value}.${field.name} in "## ${title}" marked optional`).toBe(
        !isRequired(schema),
      );
    }
  }
}

describe("docs/manifest-reference.md", () => {
  it("documents exactly the base fields, with kind and id", () => {
    expect(sorted(Object.keys(ManifestBaseSchema.shape))).toEqual(
      sorted(["kind", "id", ...Object.keys(baseFields)]),
    );
    expectFieldTable("Base fields", ManifestBaseSchema.shape);
  });

  it("has a section for every built-in kind", () => {
    const missing = BUILT_IN_KINDS.map((kind) => kind.name).filter((name) => !sections.has(name));
    expect(missing).toEqual([]);
  });

  for (const kind of BUILT_IN_KINDS) {
    describe(`## ${kind.name}`, () => {
      it("documents exactly the fields the kind adds or tightens", () => {
        expectFieldTable(kind.name, ownFields(kind.schema.shape));
      });

      it("states the kind's id convention", () => {
        expect(section(kind.name).join("\n")).toContain(`\`${kind.idConvention}\``);
      });
    });
  }

  it("lists the id convention of every built-in kind in the grammar section", () => {
    const table = tables("Identifiers and grammars").find((rows) =>
      rows.some((row) => codeSpans(row[0])[0] === "connection_provider"),
    );
    const documented = Object.fromEntries(
      (table ?? []).map((row) => [codeName(row[0]), codeName(row[1])]),
    );
    expect(documented).toEqual(
      Object.fromEntries(BUILT_IN_KINDS.map((kind) => [kind.name, kind.idConvention])),
    );
  });

  it("names the plugin API version engines ranges are matched against", () => {
    expect(section("Identifiers and grammars").join("\n")).toContain(
      `\`"${PLUGBOARD_API_VERSION}"\``,
    );
  });

  const nested: Array<[title: string, shape: Shape]> = [
    ["Setup step", SetupStepSchema.shape],
    ["Setup surface target", SetupSurfaceTargetSchema.shape],
    ["configSchema", ConfigSchemaSchema.shape],
    ["configSchema property", ConfigPropertySchema.shape],
    ["uiSchema hint", UiHintSchema.shape],
    ["Module runtime", ModuleRuntimeSchema.shape],
    ["HTTP runtime", HttpRuntimeSchema.shape],
    ["HTTP operation", HttpOperationSchema.shape],
    ["HTTP response mapping", HttpResponseMappingSchema.shape],
    ["Rule operator", OperatorSchema.shape],
    ["Connector schedule", connectorKind.schema.shape.schedule.unwrap().shape],
  ];
  for (const [title, shape] of nested) {
    it(`documents exactly the fields of ## ${title}`, () => {
      expectFieldTable(title, shape);
    });
  }

  it("documents every HTTP auth scheme with exactly its fields", () => {
    expectUnionTable("HTTP auth", "scheme", HttpAuthSchema.options);
  });

  it("documents every HTTP body encoding with exactly its fields", () => {
    expectUnionTable("HTTP body", "encoding", HttpBodySchema.options);
  });

  it("lists every closed set with exactly its values", () => {
    const documented = Object.fromEntries(
      firstTable("Closed sets").map((row) => [codeName(row[0]), codeSpans(row[2])]),
    );
    const expected = Object.fromEntries(
      Object.entries(vocabulary).filter(([, value]) => Array.isArray(value)),
    );
    expect(documented).toEqual(expected);
  });

  it("lists every open vocabulary with exactly its first-party values", () => {
    const rows = firstTable("Open vocabularies");
    expect(sorted(rows.map((row) => codeName(row[0])))).toEqual(
      sorted(Object.keys(openVocabulary).filter((name) => name.endsWith("Schema"))),
    );
    const constants: Record<string, Readonly<Record<string, string>>> = knownValues;
    const documented = Object.fromEntries(
      rows.flatMap((row) => {
        const [constant] = codeSpans(row[2]);
        return constant === undefined ? [] : [[constant, codeSpans(row[3])]];
      }),
    );
    expect(documented).toEqual(
      Object.fromEntries(
        Object.entries(constants).map(([name, values]) => [name, Object.values(values)]),
      ),
    );
  });
});
