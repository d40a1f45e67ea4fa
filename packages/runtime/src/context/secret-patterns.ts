// JSON's two-character escapes; every character may also be written as \uXXXX.
const JSON_SHORT_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '\\"'],
  ["\\", "\\\\"],
  ["/", "\\/"],
  ["\b", "\\b"],
  ["\f", "\\f"],
  ["\n", "\\n"],
  ["\r", "\\r"],
  ["\t", "\\t"],
]);

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** `value` as `width` hex digits, each letter matching either case: `[aA]`. */
function anyCaseHex(value: number, width: number): string {
  let pattern = "";
  for (const digit of value.toString(16).padStart(width, "0")) {
    pattern += /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
  }
  return pattern;
}

/**
 * One character as it may be written: itself; percent-encoded UTF-8 (`%2F` or `%2f`); `+`
 * for a space (form encoding); a JSON escape (`\/`, `\"`) or `\uXXXX` per UTF-16 unit.
 * Mixing forms within one value (as RFC 3986 encoders and ASCII-only JSON writers do) still
 * matches.
 */
function characterPattern(char: string): string {
  const forms = [escapeRegExp(char)];
  const bytes = new TextEncoder().encode(char);
  forms.push([...bytes].map((byte) => `%${anyCaseHex(byte, 2)}`).join(""));
  let units = "";
  for (let index = 0; index < char.length; index++) {
    units += `\\\\u${anyCaseHex(char.charCodeAt(index), 4)}`;
  }
  forms.push(units);
  const short = JSON_SHORT_ESCAPES.get(char);
  if (short !== undefined) forms.push(escapeRegExp(short));
  if (char === " ") forms.push("\\+");
  return `(?:${forms.join("|")})`;
}

/**
 * The base64 characters that depend on the value's bytes alone, at each of the three byte
 * offsets the value can start at inside a longer encoded text (`Basic base64(user:secret)`).
 * The characters at either end that also carry bits of the neighbouring bytes are left out.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = Buffer.from(shifted).toString("base64");
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    cores.push(encoded.slice(first, end));
  }
  return cores;
}

/**
 * A regular expression source matching a secret value as a far end or a log line may carry
 * it: as is, percent- or form-encoded, JSON-escaped, in base64 or base64url (alone or inside
 * a longer encoded text), or in hex of either case.
 *
 * @example new RegExp(secretPattern("s3cr3t")).test("czNjcjN0") // true
 */
export function secretPattern(value: string): string {
  const bytes = new TextEncoder().encode(value);
  // The whole encodings go first: where one matches, it is replaced with its padding.
  const base64 = Buffer.from(bytes).toString("base64");
  const literal = new Set<string>([
    base64,
    Buffer.from(bytes).toString("base64url"),
    base64.replace(/=+$/, ""),
  ]);
  for (const core of base64Cores(bytes)) {
    literal.add(core);
    literal.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  const hex = Buffer.from(bytes).toString("hex");
  literal.add(hex);
  literal.add(hex.toUpperCase());
  const characters = [...value].map(characterPattern).join("");
  return [characters, ...[...literal].map(escapeRegExp)].join("|");
}
