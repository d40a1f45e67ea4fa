/**
 * The string grammars of manifests: identifiers, versions, ranges. Every pattern is
 * written so that it means the same in JavaScript and, with the `u` flag, in JSON Schema
 * validators, because the exported JSON Schema carries these patterns verbatim.
 */

const KEBAB = "[a-z][a-z0-9]*(?:-[a-z0-9]+)*";
const SNAKE = "[a-z][a-z0-9]*(?:_[a-z0-9]+)*";

/** A kebab-case segment such as `read-only`. */
export const KEBAB_SEGMENT = new RegExp(`^${KEBAB}$`);

/** A snake_case value of an open vocabulary, such as `forward_email`. */
export const SNAKE_CASE = new RegExp(`^${SNAKE}$`);

/** A runtime pack id: snake_case with a version suffix, such as `follow_up_v1`. */
export const WORKER_PACK_ID = new RegExp(`^${SNAKE}_v[1-9][0-9]*$`);

/** A rule operator id: `<domain>.<name>`, such as `comms.callCount`. */
export const OPERATOR_ID = new RegExp(`^${KEBAB}\\.[a-z][a-zA-Z0-9]*$`);

/** A secret name: letters, digits and underscores, such as `google_client_id` or `SMTP_HOST`. */
export const SECRET_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A configuration property name, such as `maxRequests` or `redact_emails`. */
export const CONFIG_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Builds the id pattern of a kind from its prefix and segment layout.
 * `required` segments follow the prefix; `optional` ones may follow those.
 */
export function kindIdPattern(prefix: string, required: number, optional = 0): RegExp {
  // "-" needs no escape outside a class, and escaping it is invalid under the `u` flag.
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const optionalPart = optional > 0 ? `(?:\\.${KEBAB}){0,${optional}}` : "";
  return new RegExp(`^${escaped}(?:\\.${KEBAB}){${required}}${optionalPart}$`);
}

// At most 15 digits, so every number is a safe integer, which the `semver` package requires.
const NUMERIC = "(?:0|[1-9][0-9]{0,14})";
const PRERELEASE_ID = "(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)";
const PRERELEASE = `(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)`;
const BUILD = "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)";
// The `semver` package refuses anything longer.
const AT_MOST_256 = "(?=.{1,256}$)";

/** A semantic version, such as `1.0.0` or `2.1.0-beta.1`. */
export const SEMVER = new RegExp(
  `^${AT_MOST_256}${NUMERIC}\\.${NUMERIC}\\.${NUMERIC}${PRERELEASE}?${BUILD}?$`,
);

const WILDCARD = "[xX*]";
// A wildcard is followed only by wildcards (`1.x.x`, never `1.x.3`); pre-release and build
// tags follow only a full version.
const PARTIAL = `v?(?:${NUMERIC}\\.${NUMERIC}\\.${NUMERIC}${PRERELEASE}?${BUILD}?|${NUMERIC}\\.${NUMERIC}(?:\\.${WILDCARD})?|${NUMERIC}(?:\\.${WILDCARD}){0,2}|${WILDCARD}(?:\\.${WILDCARD}){0,2})`;
const OPERATOR = "(?:<=|>=|<|>|=|\\^|~>|~)";
const COMPARATOR = `(?:${OPERATOR}\\s*)?${PARTIAL}`;
const HYPHEN_RANGE = `${PARTIAL}\\s+-\\s+${PARTIAL}`;
const RANGE = `(?:${HYPHEN_RANGE}|${COMPARATOR}(?:\\s+${COMPARATOR})*)`;

/** A semver range as npm writes it, such as `^1.2.0`, `>=1 <3` or `1.x || 2.x`. */
export const SEMVER_RANGE = new RegExp(
  `^${AT_MOST_256}\\s*${RANGE}(?:\\s*\\|\\|\\s*${RANGE})*\\s*$`,
);
