import { CHANNEL_OPERATIONS, type HttpRuntime, type JsonValue } from "@plugboard/plugin-sdk";
import type { HttpOperationResult, HttpRuntimeClient } from "@plugboard/runtime";
import type { JobUpdate } from "./channel-job-store.js";
import type { ChannelTransport } from "./channel-transport.js";

/** The response field a send's or a status's mapping names the provider's job id with. */
export const JOB_ID_FIELD = "job_id";

function toUpdate(result: HttpOperationResult, failsJob: boolean): JobUpdate {
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
  const jobId = result.fields[JOB_ID_FIELD];
  return {
    ok: true,
    status: result.status,
    providerJobId:
      typeof jobId === "string" || typeof jobId === "number" ? String(jobId) : undefined,
    providerStatus: result.providerStatus,
  };
}

/**
 * A channel with a declarative HTTP runtime: `send_*` and `get_status` are its operations,
 * performed by the interpreter through the egress guard. The send's input is the
 * operation's `input`; `get_status` gets `{ jobId }`. A send's mapping should name the
 * provider's job id `job_id`, or the job cannot be refreshed.
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
      return toUpdate(await client.perform(request.operation, input), true);
    },
    async getStatus(providerJobId) {
      return toUpdate(
        await client.perform(CHANNEL_OPERATIONS.getStatus, { jobId: providerJobId }),
        false,
      );
    },
  };
}
