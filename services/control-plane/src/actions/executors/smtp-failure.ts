import type { ActionError } from "@plugboard/contracts";
import { z } from "zod";
import type { ExecutionOutcome } from "../action-executor-implementation.js";

/** How far a send got before it failed. */
export type SmtpStage = "connect" | "login" | "send";

// The fields nodemailer sets on its errors; anything else thrown reads as a bare message.
const NodemailerErrorSchema = z.object({
  message: z.string().catch("unknown error"),
  code: z.string().optional().catch(undefined),
  responseCode: z.number().optional().catch(undefined),
  command: z.string().optional().catch(undefined),
});

const NETWORK_CODES = new Set(["ECONNECTION", "ESOCKET", "ETIMEDOUT", "EDNS"]);

/**
 * Judges a failed send by what the server said and how far the send got:
 * - a 4xx reply (at any command) is transient and a 5xx reply permanent: the server answered,
 *   so the message was not accepted either way;
 * - a network failure before the message was handed over (connecting, greeting, login) is
 *   retryable: nothing was sent;
 * - a local refusal before anything was sent (nodemailer's `API` command, a login the server
 *   refused without a code, a TLS requirement the server cannot meet) is permanent;
 * - anything else while sending (the connection dropped or timed out with no reply) is
 *   unknown: the server may have accepted the message, so it is not sent again unasked.
 */
export function classifySmtpFailure(thrown: unknown, stage: SmtpStage): ExecutionOutcome {
  const error = NodemailerErrorSchema.parse(
    typeof thrown === "object" && thrown !== null ? thrown : { message: String(thrown) },
  );
  const code = error.code ?? "";
  const detail: ActionError = {
    code: code === "" ? "smtp_error" : `smtp_${code.replace(/^E/, "").toLowerCase()}`,
    message: error.message,
  };
  if (error.responseCode !== undefined) {
    if (error.responseCode >= 400 && error.responseCode < 500) {
      return { type: "retryable", error: { ...detail, code: `smtp_${error.responseCode}` } };
    }
    if (error.responseCode >= 500) {
      return { type: "permanent", error: { ...detail, code: `smtp_${error.responseCode}` } };
    }
  }
  if (error.command === "API") return { type: "permanent", error: detail };
  if (stage === "connect" || stage === "login") {
    return NETWORK_CODES.has(code)
      ? { type: "retryable", error: detail }
      : { type: "permanent", error: detail };
  }
  return { type: "unknown", error: detail };
}
