import { ApiError } from "./problem-handler.js";

/**
 * Cursors are opaque to clients: the sequence number (or id) to continue below,
 * base64url-encoded. Every paged list uses this one form.
 */
export function encodePageCursor(seq: number): string {
  return Buffer.from(`before:${seq}`, "utf8").toString("base64url");
}

/** The sequence number a cursor continues below, or undefined when this server did not issue it. */
export function decodePageCursor(cursor: string): number | undefined {
  const match = /^before:([1-9]\d{0,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The `cursor` query parameter as the number to page below; a 400 naming it when forged. */
export function pageBefore(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const before = decodePageCursor(cursor);
  if (before !== undefined) return before;
  throw new ApiError("PLUGBOARD_BAD_REQUEST", "the query string is invalid", [
    {
      path: "cursor",
      message: "expected a next_cursor value from an earlier page",
      code: "invalid_cursor",
    },
  ]);
}

/**
 * One page of rows read with `limit + 1`: the first `limit` rows, and the cursor to the next
 * page when the extra row shows there is one.
 */
export function pageOf<R>(
  rows: readonly R[],
  limit: number,
  seqOf: (row: R) => number,
): { readonly rows: R[]; readonly nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    rows: shown,
    nextCursor: rows.length > limit && last !== undefined ? encodePageCursor(seqOf(last)) : null,
  };
}
