import type { HttpBody, JsonValue } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import {
  type ParsedTemplate,
  parseTemplate,
  renderText,
  resolvePlaceholder,
  solePlaceholder,
  type TemplateValues,
} from "./http-template.js";
import { encodeMultipart, type MultipartPart } from "./multipart-body.js";

/** A JSON body template with its strings parsed; keys are kept as written, never templated. */
type JsonTemplate =
  | { readonly kind: "literal"; readonly value: JsonValue }
  | { readonly kind: "string"; readonly template: ParsedTemplate }
  | { readonly kind: "array"; readonly items: readonly JsonTemplate[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, JsonTemplate])[] };

type NamedTemplates = readonly (readonly [name: string, template: ParsedTemplate])[];

/** An operation's body with every template parsed. */
export type CompiledBody =
  | { readonly encoding: "json"; readonly template: JsonTemplate }
  | { readonly encoding: "form"; readonly fields: NamedTemplates }
  | {
      readonly encoding: "multipart";
      readonly fields: NamedTemplates;
      readonly files: NamedTemplates;
    };

/** A rendered body and the `content-type` it goes with. */
export interface RenderedBody {
  readonly contentType: string;
  readonly text: string;
}

function compileJson(value: JsonValue, operation: string, field: PropertyKey[]): JsonTemplate {
  if (typeof value === "string") {
    return { kind: "string", template: parseTemplate(value, { operation, field }) };
  }
  if (Array.isArray(value)) {
    return {
      kind: "array",
      items: value.map((item, index) => compileJson(item, operation, [...field, index])),
    };
  }
  if (typeof value === "object" && value !== null) {
    return {
      kind: "object",
      entries: Object.entries(value).map(([key, item]) => [
        key,
        compileJson(item, operation, [...field, key]),
      ]),
    };
  }
  return { kind: "literal", value };
}

function compileNamed(
  record: Readonly<Record<string, string>>,
  operation: string,
  field: readonly PropertyKey[],
): NamedTemplates {
  return Object.entries(record).map(([name, text]) => [
    name,
    parseTemplate(text, { operation, field: [...field, name] }),
  ]);
}

/** Parses every template of an operation's body once. */
export function compileBody(body: HttpBody, operation: string): CompiledBody {
  switch (body.encoding) {
    case "json":
      return {
        encoding: "json",
        template: compileJson(body.template, operation, ["body", "template"]),
      };
    case "form":
      return { encoding: "form", fields: compileNamed(body.fields, operation, ["body", "fields"]) };
    case "multipart":
      return {
        encoding: "multipart",
        fields: compileNamed(body.fields, operation, ["body", "fields"]),
        files: compileNamed(body.files ?? {}, operation, ["body", "files"]),
      };
    default: {
      const exhaustive: never = body;
      return exhaustive;
    }
  }
}

function renderJson(template: JsonTemplate, values: TemplateValues): JsonValue {
  switch (template.kind) {
    case "literal":
      return template.value;
    case "string": {
      // A string that is one placeholder takes the value with its JSON type; any other
      // string is text. Either way JSON.stringify writes it, so no value leaves its place.
      const sole = solePlaceholder(template.template);
      return sole === undefined
        ? renderText(template.template, values)
        : resolvePlaceholder(template.template, sole, values);
    }
    case "array":
      return template.items.map((item) => renderJson(item, values));
    case "object":
      // fromEntries defines each key as an own property, so even "__proto__" stays a key.
      return Object.fromEntries(
        template.entries.map(([key, item]) => [key, renderJson(item, values)]),
      );
    default: {
      const exhaustive: never = template;
      return exhaustive;
    }
  }
}

const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/** A file value given as an object: its name, its text and, optionally, its media type. */
const FileValueSchema = z.strictObject({
  filename: z.string().min(1).max(255),
  content: z.string(),
  contentType: z.string().regex(MEDIA_TYPE).optional(),
});

function filePart(name: string, template: ParsedTemplate, values: TemplateValues): MultipartPart {
  const site = { operation: template.operation, path: template.path };
  const sole = solePlaceholder(template);
  const value = sole === undefined ? undefined : resolvePlaceholder(template, sole, values);
  if (sole === undefined || typeof value !== "object" || value === null || Array.isArray(value)) {
    return { name, filename: name, value: renderText(template, values), site };
  }
  const parsed = FileValueSchema.safeParse(value);
  if (!parsed.success) {
    throw new HttpRuntimeError(
      "file_invalid",
      `${sole.source} is an object but not a file: expected { filename, content, contentType? } with a non-empty filename and a media type such as application/pdf`,
      site,
    );
  }
  const { filename, content, contentType } = parsed.data;
  return contentType === undefined
    ? { name, filename, value: content, site }
    : { name, filename, value: content, contentType, site };
}

/**
 * Renders a body: JSON through `JSON.stringify`, form fields URL-encoded, multipart with a
 * fresh random boundary. File parts take their text from the template, named after the part;
 * a template that is one placeholder may instead name a `{ filename, content, contentType? }`
 * object.
 */
export function renderBody(body: CompiledBody, values: TemplateValues): RenderedBody {
  switch (body.encoding) {
    case "json":
      return {
        contentType: "application/json",
        text: JSON.stringify(renderJson(body.template, values)),
      };
    case "form":
      return {
        contentType: "application/x-www-form-urlencoded",
        text: new URLSearchParams(
          body.fields.map(([name, template]): [string, string] => [
            name,
            renderText(template, values),
          ]),
        ).toString(),
      };
    case "multipart": {
      const parts: MultipartPart[] = body.fields.map(([name, template]) => ({
        name,
        value: renderText(template, values),
        site: { operation: template.operation, path: template.path },
      }));
      for (const [name, template] of body.files) parts.push(filePart(name, template, values));
      const encoded = encodeMultipart(parts);
      return { contentType: encoded.contentType, text: encoded.body };
    }
    default: {
      const exhaustive: never = body;
      return exhaustive;
    }
  }
}
