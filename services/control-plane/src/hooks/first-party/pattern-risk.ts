/** The longest pattern an operator may give, in characters. */
export const MAX_PATTERN_LENGTH = 200;
/** How far the bounded repeats of a pattern may multiply (`{1,20}` counts 20). */
export const MAX_BOUNDED_REPEATS = 1_000;
/** How far they may multiply beside a repeat without bound (`*`, `+`, `{n,}`). */
export const MAX_BOUNDED_REPEATS_BESIDE_UNBOUNDED = 10;

/** A quantifier read at some index: how many times it lets the atom before it repeat. */
interface Quantifier {
  /** `Infinity` for `*`, `+` and `{n,}`. */
  readonly max: number;
  /** The index after it (and after a lazy `?`). */
  readonly end: number;
}

function quantifierAt(source: string, index: number): Quantifier | undefined {
  const char = source[index];
  const lazy = (end: number) => (source[end] === "?" ? end + 1 : end);
  if (char === "*" || char === "+") return { max: Number.POSITIVE_INFINITY, end: lazy(index + 1) };
  if (char === "?") return { max: 1, end: lazy(index + 1) };
  if (char !== "{") return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index));
  if (match === null) return undefined;
  const [text, min = "0", comma, upper] = match;
  const max =
    comma === undefined
      ? Number(min)
      : upper === undefined || upper === ""
        ? Number.POSITIVE_INFINITY
        : Number(upper);
  return { max, end: lazy(index + text.length) };
}

/** What a group holds, as far as repetition goes. */
interface Frame {
  repeats: boolean;
  alternatives: boolean;
}

/** The index after a character class that starts at `index` (`[`). */
function classEnd(source: string, index: number): number {
  let at = index + 1;
  if (source[at] === "^") at += 1;
  if (source[at] === "]") at += 1;
  while (at < source.length && source[at] !== "]") at += source[at] === "\\" ? 2 : 1;
  return at + 1;
}

/** The index after a group's opening, past `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`. */
function groupBodyStart(source: string, index: number): number {
  if (source[index + 1] !== "?") return index + 1;
  const rest = source.slice(index + 2);
  const named = /^<[A-Za-z_$][\w$]*>/.exec(rest);
  if (named !== null) return index + 2 + named[0].length;
  if (rest.startsWith("<=") || rest.startsWith("<!")) return index + 4;
  return index + 3;
}

/**
 * Why matching a regular expression could take far more than linear time, or `undefined`
 * when it cannot. Checked: its length, backreferences, a repeated group that repeats inside
 * or has alternatives (nested quantifiers, star height over 1), more than one repeat without
 * bound, and bounded repeats that multiply past a budget. A pattern that passes still costs
 * up to about the square of the text's length, which is why the text scanned is capped too.
 */
export function patternRisk(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) {
    return `is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  try {
    new RegExp(source, "g");
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  const stack: Frame[] = [{ repeats: false, alternatives: false }];
  let unbounded = 0;
  let bounded = 1;
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    const frame = stack.at(-1) ?? { repeats: false, alternatives: false };
    let inner: Frame | undefined;
    if (char === "\\") {
      const next = source[index + 1] ?? "";
      if (/[1-9]/.test(next) || (next === "k" && source[index + 2] === "<")) {
        return "uses a backreference, which can make matching take exponential time";
      }
      index += 2;
    } else if (char === "[") {
      index = classEnd(source, index);
    } else if (char === "(") {
      stack.push({ repeats: false, alternatives: false });
      index = groupBodyStart(source, index);
      continue;
    } else if (char === ")") {
      inner = stack.pop();
      index += 1;
    } else if (char === "|") {
      frame.alternatives = true;
      index += 1;
      continue;
    } else {
      index += 1;
    }
    const quantifier = quantifierAt(source, index);
    const outer = stack.at(-1) ?? frame;
    if (inner !== undefined) {
      outer.repeats ||= inner.repeats;
      outer.alternatives ||= inner.alternatives;
    }
    if (quantifier === undefined) continue;
    index = quantifier.end;
    if (quantifier.max <= 1) continue;
    if (inner?.repeats === true) {
      return "repeats a group that repeats inside it (nested quantifiers such as (a+)+), which can make matching take exponential time";
    }
    if (inner?.alternatives === true) {
      return "repeats a group with alternatives (such as (a|ab)*), which can make matching take exponential time";
    }
    outer.repeats = true;
    if (quantifier.max === Number.POSITIVE_INFINITY) unbounded += 1;
    else bounded *= quantifier.max;
  }
  if (unbounded > 1) {
    return `repeats without bound (*, + or {n,}) ${unbounded} times; at most once is allowed, use a bounded count such as {0,20} for the others`;
  }
  const budget = unbounded === 1 ? MAX_BOUNDED_REPEATS_BESIDE_UNBOUNDED : MAX_BOUNDED_REPEATS;
  if (bounded > budget) {
    return `has bounded repeats that multiply to ${bounded}; at most ${budget} is allowed${unbounded === 1 ? " beside a repeat without bound" : ""}`;
  }
  return undefined;
}
