import type { JsonValue } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import {
  isLiteral,
  parseTemplate,
  renderText,
  resolvePlaceholder,
  solePlaceholder,
  type TemplateValues,
} from "./http-template.js";

const site = { operation: "send_fax", field: ["body", "fields", "to"] };
const values: TemplateValues = {
  input: {
    to: "+15550199",
    count: 3,
    urgent: false,
    nothing: null,
    items: [{ id: "a-1" }],
    nested: { deep: "x" },
  },
  config: { senderNumber: "+15550100" },
};

function thrown(run: () => unknown): HttpRuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpRuntimeError) return error;
    throw error;
  }
  throw new Error("expected an HttpRuntimeError");
}

const render = (text: string) => renderText(parseTemplate(text, site), values);

describe("parseTemplate", () => {
  it("reads placeholders with or without whitespace inside the braces", () => {
    expect(render("{{input.to}}|{{ config.senderNumber }}|{{   input.items[0].id   }}")).toBe(
      "+15550199|+15550100|a-1",
    );
  });

  it("keeps literal text, a lone closing pair and single braces as written", () => {
    expect(render("a } b }} c { d")).toBe("a } b }} c { d");
    expect(isLiteral(parseTemplate("plain", site))).toBe(true);
  });

  it("tells a template that is exactly one placeholder from one with text around it", () => {
    expect(solePlaceholder(parseTemplate("{{ input.to }}", site))?.source).toBe("{{ input.to }}");
    expect(solePlaceholder(parseTemplate(" {{ input.to }}", site))).toBeUndefined();
    expect(solePlaceholder(parseTemplate("{{ input.to }}{{ input.to }}", site))).toBeUndefined();
  });

  it.each([
    ["an unclosed placeholder", "to {{ input.to"],
    ["a root other than input or config", "{{ secrets.token }}"],
    ["a bare root", "{{ input }}"],
    ["an empty placeholder", "{{ }}"],
    ["a filter", "{{ input.to | upper }}"],
    ["an expression", "{{ input.to + 1 }}"],
    ["triple braces", "{{{ input.to }}}"],
    ["a quoted key", "{{ input['to'] }}"],
  ])("refuses %s as template_invalid, naming the field", (_, text) => {
    const error = thrown(() => parseTemplate(text, site));
    expect(error).toMatchObject({
      code: "template_invalid",
      operation: "send_fax",
      path: "runtime.operations.send_fax.body.fields.to",
    });
  });
});

describe("resolving placeholders", () => {
  it("reports a missing value with the operation, field, placeholder and absent step", () => {
    const error = thrown(() => render("to {{ input.items[1].id }}"));
    expect(error.code).toBe("value_missing");
    expect(error.path).toBe("runtime.operations.send_fax.body.fields.to");
    expect(error.message).toBe(
      "runtime.operations.send_fax.body.fields.to: {{ input.items[1].id }} has no value: input.items[1] is missing",
    );
  });

  it("treats an undefined value as missing", () => {
    const template = parseTemplate("{{ input.gone }}", site);
    const part = solePlaceholder(template);
    if (part === undefined) throw new Error("expected a placeholder");
    // JSON has no undefined, but a host-made object may hold one.
    const input: Record<string, JsonValue> = {};
    Reflect.set(input, "gone", undefined);
    const error = thrown(() => resolvePlaceholder(template, part, { input, config: {} }));
    expect(error.code).toBe("value_missing");
  });

  it.each([
    "{{ input.__proto__ }}",
    "{{ input.constructor }}",
    "{{ config.toString }}",
    "{{ input.items.length }}",
  ])("never finds %s on a prototype", (text) => {
    expect(thrown(() => render(text)).code).toBe("value_missing");
  });

  it("leaves Object.prototype untouched by a __proto__ path", () => {
    expect(thrown(() => render("{{ input.__proto__.polluted }}")).code).toBe("value_missing");
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});

describe("renderText", () => {
  it("writes numbers and booleans with String() and null as the empty string", () => {
    expect(render("{{ input.count }}/{{ input.urgent }}/[{{ input.nothing }}]")).toBe("3/false/[]");
  });

  it.each(["{{ input.nested }}", "{{ input.items }}"])(
    "refuses %s, an object or array, in text",
    (text) => {
      const error = thrown(() => render(`x ${text}`));
      expect(error.code).toBe("value_invalid");
      expect(error.message).toContain(text);
    },
  );

  it("refuses a string with a lone surrogate, but keeps paired ones", () => {
    const lone = { input: { text: "a\uD800b" }, config: {} };
    const error = thrown(() => renderText(parseTemplate("{{ input.text }}", site), lone));
    expect(error.code).toBe("value_invalid");
    const paired = { input: { text: "emoji 😀 ünï" }, config: {} };
    expect(renderText(parseTemplate("{{ input.text }}", site), paired)).toBe("emoji 😀 ünï");
  });

  it("passes only placeholder text through the encoder", () => {
    const template = parseTemplate("/a b/{{ input.to }}", site);
    expect(renderText(template, values, encodeURIComponent)).toBe("/a b/%2B15550199");
  });
});
