import { JobStatusSchema, type JsonValue } from "@plugboard/plugin-sdk";
import { LifecycleError, PluginCodeError, SandboxError } from "@plugboard/runtime";
import { z } from "zod";
import type { PluginHost } from "../plugin-host/plugin-host.js";
import type { JobUpdate } from "./channel-job-store.js";
import type { ChannelTransport } from "./channel-transport.js";

/** What a channel's `sendMessage`, `sendFax`, `placeCall` and `getStatus` return. */
const ChannelJobResultSchema = z.object({ jobId: z.string().min(1), status: JobStatusSchema });

const HANDLERS = {
  send_message: "sendMessage",
  send_fax: "sendFax",
  place_call: "placeCall",
} as const;

function failure(error: unknown, failsJob: boolean): JobUpdate {
  const message =
    error instanceof SandboxError && error.cause instanceof PluginCodeError
      ? `the plugin failed: ${error.cause.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  const code =
    error instanceof SandboxError || error instanceof LifecycleError ? error.code : "host_failed";
  // A plugin marks a failure as worth retrying by throwing an error whose `code` is "retryable".
  const retryable =
    error instanceof LifecycleError ||
    (error instanceof SandboxError &&
      (error.code === "timeout" ||
        (error.cause instanceof PluginCodeError && error.cause.code === "retryable")));
  return { ok: false, failsJob, error: { code, message, retryable, httpStatus: null } };
}

/**
 * A channel whose runtime is plugin code: each send and status call is a handler call on
 * the plugin's running instance (`sendFax`, `sendMessage`, `placeCall`, `getStatus`), whose
 * `{ jobId, status }` is checked before it is recorded. A refresh runs on the instance that
 * runs now: the code of the version a job was sent with may no longer be loaded.
 */
export function codeChannelTransport(
  host: Pick<PluginHost, "instance">,
  pluginId: string,
): ChannelTransport | undefined {
  const probe = host.instance(pluginId);
  if (probe === undefined) return undefined;
  probe.release();
  const call = async (
    handler: string,
    args: readonly JsonValue[],
    failsJob: boolean,
  ): Promise<JobUpdate> => {
    const held = host.instance(pluginId);
    if (held === undefined) {
      return failure(
        new LifecycleError("unavailable", pluginId, `${pluginId} is not running`),
        failsJob,
      );
    }
    try {
      const result = ChannelJobResultSchema.safeParse(await held.instance.call(handler, args));
      if (!result.success) {
        return {
          ok: false,
          failsJob,
          error: {
            code: "bad_return",
            message: `${handler} returned no { jobId, status }`,
            retryable: false,
            httpStatus: null,
          },
        };
      }
      return {
        ok: true,
        status: result.data.status,
        providerJobId: result.data.jobId,
        providerStatus: result.data.status,
        lastError: null,
      };
    } catch (error) {
      return failure(error, failsJob);
    } finally {
      held.release();
    }
  };
  return {
    canGetStatus: true,
    send: (request) => {
      const input: Record<string, JsonValue> = {};
      for (const [name, value] of Object.entries(request.input)) {
        if (value !== undefined) input[name] = value;
      }
      return call(HANDLERS[request.operation], [input], true);
    },
    getStatus: (providerJobId) => call("getStatus", [providerJobId], false),
  };
}
