/** How far a webhook's timestamp may be from the host's clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

/** A `webhook-timestamp` value: whole seconds since the Unix epoch. */
export function parseWebhookTimestamp(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
}

/**
 * True when `timestampSeconds` lies within the window around `now`. A delivery outside it is
 * refused even with a valid signature: a captured request cannot be replayed later, and
 * duplicates inside the window are caught by the event id.
 */
export function withinReplayWindow(
  timestampSeconds: number,
  now: Date,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): boolean {
  return Math.abs(Math.floor(now.getTime() / 1000) - timestampSeconds) <= windowSeconds;
}
