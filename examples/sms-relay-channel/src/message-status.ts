import type { JobStatus } from "@plugboard/plugin-sdk";

/** SMS Relay's word for where a message stands, and what a Plugboard job calls it. */
const JOB_STATUS_OF_RELAY_STATUS: ReadonlyMap<string, JobStatus> = new Map([
  ["accepted", "queued"],
  ["sending", "in_progress"],
  ["delivered", "succeeded"],
  ["undelivered", "failed"],
]);

/**
 * The job status for a status SMS Relay reports; throws for one it does not document, so a
 * change on their side shows up as a clear error rather than a wrong status.
 *
 * @example jobStatusOf("sending") // "in_progress"
 */
export function jobStatusOf(relayStatus: string): JobStatus {
  const status = JOB_STATUS_OF_RELAY_STATUS.get(relayStatus);
  if (status === undefined) {
    const known = [...JOB_STATUS_OF_RELAY_STATUS.keys()].join(", ");
    throw new Error(`SMS Relay reported status "${relayStatus}", which is not one of ${known}`);
  }
  return status;
}
