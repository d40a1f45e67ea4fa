import {
  definePlugin,
  type JsonValue,
  type PluginContext,
  type PluginHttpRequest,
  type PluginHttpResponse,
} from "@plugboard/plugin-sdk";
import { manifest } from "./manifest.js";
import { fromStored, type MessageRecord, recordKey, toStored } from "./message-record.js";
import { jobStatusOf } from "./message-status.js";
import {
  type RelayMessage,
  readRelayMessage,
  sendRequest,
  statusRequest,
} from "./sms-relay-api.js";

const TOKEN_SECRET = "sms_relay_api_token";

/** The `code` of a failed context call (`unavailable`, `egress_failed`, …), if it has one. */
function contextErrorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/** Sends one request to SMS Relay and reads the message it answers with. */
async function callRelay(
  ctx: PluginContext,
  request: PluginHttpRequest,
  doing: string,
): Promise<RelayMessage> {
  let response: PluginHttpResponse;
  try {
    response = await ctx.http.request(request);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (contextErrorCode(error) === "unavailable") {
      throw new Error(
        `cannot ${doing}: the SMS Relay API token is not set (${reason}); store it as the secret ${TOKEN_SECRET}`,
      );
    }
    throw new Error(`cannot ${doing}: SMS Relay could not be reached (${reason})`);
  }
  return readRelayMessage(response, doing);
}

/** Sends SMS through SMS Relay; keeps each message's status in storage and publishes changes. */
export default definePlugin({
  manifest,
  setup(ctx) {
    const sender = ctx.config.senderNumber;
    // The host checks the config against configSchema before the code runs; this narrows it.
    if (typeof sender !== "string") throw new Error("the channel needs senderNumber");
    const token = ctx.secrets.handle(TOKEN_SECRET);

    /** Stores what is known of a message, and tells subscribers its new status. */
    async function remember(messageId: string, record: MessageRecord): Promise<void> {
      await ctx.storage.set(recordKey(messageId), toStored(record));
      const event: JsonValue = {
        messageId,
        to: record.to,
        status: record.status,
        relayStatus: record.relayStatus,
      };
      await ctx.events.publish(`sms-relay.message.${record.status}`, event);
    }

    return {
      async sendMessage(message) {
        const request = sendRequest({ from: sender, to: message.to, text: message.body }, token);
        const sent = await callRelay(ctx, request, "send the message");
        const status = jobStatusOf(sent.status);
        await remember(sent.id, {
          to: message.to,
          status,
          relayStatus: sent.status,
          updatedAt: new Date().toISOString(),
        });
        return { jobId: sent.id, status };
      },

      async getStatus(jobId) {
        const known = fromStored(await ctx.storage.get(recordKey(jobId)));
        const current = await callRelay(
          ctx,
          statusRequest(jobId, token),
          `look up message ${jobId}`,
        );
        const status = jobStatusOf(current.status);
        // Unchanged: nothing to store and nothing to tell.
        if (known?.status === status) return { jobId, status };
        await remember(jobId, {
          to: known?.to ?? null,
          status,
          relayStatus: current.status,
          updatedAt: new Date().toISOString(),
        });
        return { jobId, status };
      },

      // Called at start and then periodically: it must not send anything, so it only reports.
      probe() {
        return { healthy: true, message: `sends from ${sender}` };
      },
    };
  },
});
