import { CHANNEL_OPERATIONS, type HttpRuntime, type JsonValue } from "@plugboard/plugin-sdk";
import {
  CHANNEL_JOB_ID_FIELD,
  type HttpOperationResult,
  type HttpRuntimeClient,
} from "@plugboard/runtime";
import type { JobUpdate } from "./channel-job-store.js";
import type { ChannelTransport } from "./channel-transport.js";

function toUpdate(operation: string, result: HttpOperationResult, failsJob: boolean): JobUpdate {
  if (!result.ok) {
    return {
      ok: false,
      failsJob,
      error: {
        code: result.error.code,
        message: result.error.message,
        retryable: result.retryable,
        httpStatus: result.httpStatus ?? null,
      },
    };
  }
  const jobId = result.fields[CHANNEL_JOB_ID_FIELD];
  const providerJobId =
    typeof jobId === "string" || typeof jobId === "number" ? String(jobId) : undefined;
  // A send that names no job id worked, but its job can never be refreshed: say so on it.
  const lastError =
    failsJob && providerJobId === undefined
      ? {
          code: "provider_job_id_missing",
          message: `${operation} succeeded, but its response mapping read no ${CHANNEL_JOB_ID_FIELD} from the answer, so get_status cannot be asked about this job`,
          retryable: false,
          httpStatus: result.httpStatus,
        }
      : null;
  return {
    ok: true,
    status: result.status,
    providerJobId,
    providerStatus: result.providerStatus,
    lastError,
  };
}

/**
 * A channel with a declarative HTTP runtime: `send_*` and `get_status` are its operations,
 * performed by the interpreter through the egress guard. The send's input is the
 * operation's `input`; `get_status` gets `{ jobId }`. A send's mapping should name the
 * provider's job id `job_id` (`CHANNEL_JOB_ID_FIELD`), or the job cannot be refreshed: such a
 * send is recorded with a `provider_job_id_missing` error that does not fail the job.
 */
export function httpChannelTransport(
  runtime: HttpRuntime,
  client: HttpRuntimeClient,
): ChannelTransport {
  return {
    canGetStatus: Object.hasOwn(runtime.operations, CHANNEL_OPERATIONS.getStatus),
    async send(request) {
      const input: Record<string, JsonValue> = {};
      for (const [name, value] of Object.entries(request.input)) {
        if (value !== undefined) input[name] = value;
      }
      return toUpdate(request.operation, await client.perform(request.operation, input), true);
    },
    async getStatus(providerJobId) {
      return toUpdate(
        CHANNEL_OPERATIONS.getStatus,
        await client.perform(CHANNEL_OPERATIONS.getStatus, { jobId: providerJobId }),
        false,
      );
    },
  };
}
