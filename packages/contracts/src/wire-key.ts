/**
 * The wire name of a camelCase key: every capital letter becomes `_` plus its lowercase
 * form (`docsHref` → `docs_href`, `timeoutMs` → `timeout_ms`). Keys without capitals,
 * such as `$schema` or `type`, are their own wire name.
 */
export function toWireKey(key: string): string {
  return key.replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
}

/** The type-level twin of `toWireKey`, so wire types follow the runtime mapping exactly. */
export type WireKey<Key extends string> = string extends Key
  ? Key
  : Key extends `${infer Head}${infer Rest}`
    ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${WireKey<Rest>}`
    : Key;
