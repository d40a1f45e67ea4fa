import type { Issue } from "@plugboard/contracts";
import { piiRedactorHook } from "@plugboard/plugin-manifests";
import { definePlugin, type JsonValue } from "@plugboard/plugin-sdk";
import { patternRisk } from "./pattern-risk.js";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Seven or more digits, optionally led by + and broken by spaces, dots, dashes or brackets.
const PHONE = /\+?\d(?:[\s.()-]*\d){6,}/g;

/** How many characters of one string the extra patterns scan. */
export const MAX_SCANNED_CHARS = 4_096;
/** How many characters of one request the extra patterns scan in all. */
export const MAX_SCANNED_CHARS_PER_CALL = 16_384;

/** The extra patterns' problems, each at its `config.extraPatterns[i]` path. */
export function checkPiiRedactorConfig(config: Readonly<Record<string, unknown>>): Issue[] {
  const patterns = config.extraPatterns;
  if (!Array.isArray(patterns)) return [];
  return patterns.flatMap((source, index) => {
    if (typeof source !== "string") return [];
    const risk = patternRisk(source);
    return risk === undefined
      ? []
      : [
          {
            path: `config.extraPatterns[${index}]`,
            code: "unsafe_pattern",
            message: `the pattern ${JSON.stringify(source)} ${risk}`,
          },
        ];
  });
}

/** The extra patterns, compiled; throws naming the first one that is not safe to run. */
function extraPatternsOf(config: Readonly<Record<string, unknown>>): RegExp[] {
  const [problem] = checkPiiRedactorConfig(config);
  if (problem !== undefined) throw new Error(`${problem.path}: ${problem.message}`);
  const patterns = config.extraPatterns;
  if (!Array.isArray(patterns)) return [];
  return patterns.flatMap((source) =>
    typeof source === "string" ? [new RegExp(source, "g")] : [],
  );
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
 * The body redacted as `config` says: email addresses, phone numbers and the extra patterns
 * in every string are replaced with the replacement text. Extra patterns are operators'
 * regular expressions, and a regular expression runs synchronously (no time limit can stop
 * it): each must pass `patternRisk` (this throws naming the first that does not), and they
 * scan at most `MAX_SCANNED_CHARS` of a string and `MAX_SCANNED_CHARS_PER_CALL` of a body.
 * Text past those caps is replaced as a whole, since it was not checked.
 */
export function createRedactor(
  config: Readonly<Record<string, unknown>>,
): (body: JsonValue) => JsonValue {
  const replacement = typeof config.replacement === "string" ? config.replacement : "[redacted]";
  const builtIn = [
    ...(config.redactEmails === false ? [] : [EMAIL]),
    ...(config.redactPhones === false ? [] : [PHONE]),
  ];
  const extra = extraPatternsOf(config);
  const replaceAll = (text: string, patterns: readonly RegExp[]) =>
    patterns.reduce((current, pattern) => current.replace(pattern, replacement), text);
  return (body) => {
    let budget = MAX_SCANNED_CHARS_PER_CALL;
    return redactValue(body, (text) => {
      const known = replaceAll(text, builtIn);
      if (extra.length === 0) return known;
      const scanned = Math.min(known.length, MAX_SCANNED_CHARS, budget);
      budget -= scanned;
      const head = replaceAll(known.slice(0, scanned), extra);
      return scanned < known.length ? `${head}${replacement}` : head;
    });
  };
}

/**
 * `hook.pii-redactor`: redacts what passes it (for an action execution: the recorded
 * outcome) as `createRedactor` describes. Its setup refuses extra patterns that could
 * backtrack; the config route refuses them before they are stored.
 */
export const piiRedactorPlugin = definePlugin({
  manifest: piiRedactorHook,
  setup(ctx) {
    const redact = createRedactor(ctx.config);
    return {
      run(request) {
        const body = redact(request.body);
        return JSON.stringify(body) === JSON.stringify(request.body)
          ? { action: "passthrough" }
          : { action: "modify", body };
      },
    };
  },
});
