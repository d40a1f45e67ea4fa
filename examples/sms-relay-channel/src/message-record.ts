import type { JobStatus, JsonValue } from "@plugboard/plugin-sdk";

/** What the channel keeps in its storage about one message, under `job:<id>`. */
export interface MessageRecord {
  /** The recipient; null when the record was made from a status lookup alone. */
  readonly to: string | null;
  readonly status: JobStatus;
  /** SMS Relay's own word for the status, as it last gave it. */
  readonly relayStatus: string;
  readonly updatedAt: string;
}

const JOB_STATUSES: ReadonlySet<string> = new Set<JobStatus>([
  "queued",
  "in_progress",
  "succeeded",
  "failed",
]);

function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === "string" && JOB_STATUSES.has(value);
}

/** The storage key of a message's record. */
export function recordKey(messageId: string): string {
  return `job:${messageId}`;
}

/** The record as a storable value. */
export function toStored(record: MessageRecord): JsonValue {
  return { ...record };
}

/**
 * A record read back from storage, or undefined when there is none. Storage outlives a
 * version of the plugin, so what an older version wrote is checked, not trusted.
 */
export function fromStored(value: JsonValue | undefined): MessageRecord | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { to, status, relayStatus, updatedAt } = value;
  if (
    (typeof to !== "string" && to !== null) ||
    !isJobStatus(status) ||
    typeof relayStatus !== "string" ||
    typeof updatedAt !== "string"
  ) {
    return undefined;
  }
  return { to, status, relayStatus, updatedAt };
}
