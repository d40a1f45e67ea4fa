/** Every response converts the same few hundred keys: each is worked out once. */
const wireKeys = new Map<string, string>();
const MAX_REMEMBERED_KEYS = 10_000;

/**
 * The wire name of a camelCase key: every capital letter becomes `_` plus its lowercase
 * form (`docsHref` → `docs_href`, `timeoutMs` → `timeout_ms`). Keys without capitals,
 * such as `$schema` or `type`, are their own wire name.
 */
export function toWireKey(key: string): string {
  let wire = wireKeys.get(key);
  if (wire === undefined) {
    wire = key.replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
    // Keys come from schema shapes, a bounded set; the cap only guards against misuse.
    if (wireKeys.size < MAX_REMEMBERED_KEYS) wireKeys.set(key, wire);
  }
  return wire;
}

/** The type-level twin of `toWireKey`, so wire types follow the runtime mapping exactly. */
export type WireKey<Key extends string> = string extends Key
  ? Key
  : Key extends `${infer Head}${infer Rest}`
    ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${WireKey<Rest>}`
    : Key;
