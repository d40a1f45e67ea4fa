/** A list that keeps only its newest `limit` entries. */
export interface BoundedLog<T> {
  append(entry: T): void;
  entries(): readonly T[];
}

/** A log of at most `limit` entries; older ones drop off as new ones arrive. */
export function createBoundedLog<T>(limit: number): BoundedLog<T> {
  const list: T[] = [];
  return {
    append(entry) {
      list.push(entry);
      if (list.length > limit) list.splice(0, list.length - limit);
    },
    entries: () => [...list],
  };
}
