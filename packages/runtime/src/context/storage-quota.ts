/** What one plugin keeps in storage: its keys, and their bytes (see `storedEntryBytes`). */
export interface StorageUsage {
  readonly keys: number;
  readonly bytes: number;
}

/** The caps a storage write must stay within, for one plugin. */
export interface StorageQuota {
  readonly maxKeys: number;
  readonly maxBytes: number;
}

/**
 * What a storage write did: stored, with the plugin's usage after it; or refused, nothing
 * written, naming the cap it would have passed and the usage it would have led to.
 */
export type StorageSetResult =
  | { readonly stored: true; readonly usage: StorageUsage }
  | { readonly stored: false; readonly exceeded: keyof StorageQuota; readonly usage: StorageUsage };

/** The bytes an entry counts for: its key and its value's JSON text, both in UTF-8. */
export function storedEntryBytes(key: string, valueJson: string): number {
  return Buffer.byteLength(key, "utf8") + Buffer.byteLength(valueJson, "utf8");
}

/**
 * Whether a write fits the quota, given the plugin's usage before it, the bytes of the entry
 * it replaces (`undefined` for a new key) and the bytes of the new entry. A write that adds
 * no key and no bytes always fits, so a plugin over a lowered quota can still shrink; with no
 * quota, every write fits.
 *
 * @example storageWriteOutcome({ keys: 10, bytes: 900 }, undefined, 200, { maxKeys: 10, maxBytes: 1000 }) // { stored: false, exceeded: "maxKeys", usage: { keys: 11, bytes: 1100 } }
 */
export function storageWriteOutcome(
  before: StorageUsage,
  replacedBytes: number | undefined,
  entryBytes: number,
  quota: StorageQuota | undefined,
): StorageSetResult {
  const usage = {
    keys: before.keys + (replacedBytes === undefined ? 1 : 0),
    bytes: before.bytes - (replacedBytes ?? 0) + entryBytes,
  };
  if (quota === undefined) return { stored: true, usage };
  if (usage.keys > quota.maxKeys && usage.keys > before.keys) {
    return { stored: false, exceeded: "maxKeys", usage };
  }
  if (usage.bytes > quota.maxBytes && usage.bytes > before.bytes) {
    return { stored: false, exceeded: "maxBytes", usage };
  }
  return { stored: true, usage };
}
