import { piiRedactorHook } from "@plugboard/plugin-manifests";
import { definePlugin, type JsonValue } from "@plugboard/plugin-sdk";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Seven or more digits, optionally led by + and broken by spaces, dots, dashes or brackets.
const PHONE = /\+?\d(?:[\s.()-]*\d){6,}/g;

function patternsOf(value: unknown): RegExp[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((source) => {
    if (typeof source !== "string") return [];
    try {
      return [new RegExp(source, "g")];
    } catch {
      return [];
    }
  });
}

function redactValue(value: JsonValue, redact: (text: string) => string): JsonValue {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactValue(item, redact)]),
    );
  }
  return value;
}

/**
 * `hook.pii-redactor`: replaces email addresses, phone numbers and the extra patterns in every
 * string of what passes it (for an action execution: the recorded outcome) with the
 * replacement text. An extra pattern that is not a valid regular expression is skipped.
 */
export const piiRedactorPlugin = definePlugin({
  manifest: piiRedactorHook,
  setup(ctx) {
    const replacement =
      typeof ctx.config.replacement === "string" ? ctx.config.replacement : "[redacted]";
    const patterns = [
      ...(ctx.config.redactEmails === false ? [] : [EMAIL]),
      ...(ctx.config.redactPhones === false ? [] : [PHONE]),
      ...patternsOf(ctx.config.extraPatterns),
    ];
    const redact = (text: string) =>
      patterns.reduce((current, pattern) => current.replace(pattern, replacement), text);
    return {
      run(request) {
        const body = redactValue(request.body, redact);
        return JSON.stringify(body) === JSON.stringify(request.body)
          ? { action: "passthrough" }
          : { action: "modify", body };
      },
    };
  },
});
