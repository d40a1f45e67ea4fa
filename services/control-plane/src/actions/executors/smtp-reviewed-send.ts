import { type SendEmailActionPayload, SendEmailActionPayloadSchema } from "@plugboard/contracts";
import { smtpReviewedSendExecutor } from "@plugboard/plugin-manifests";
import MailComposer from "nodemailer/lib/mail-composer";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import {
  type ActionExecution,
  defineActionExecutor,
  type ExecutionOutcome,
} from "../action-executor-implementation.js";
import { classifySmtpFailure, type SmtpStage } from "./smtp-failure.js";
import { parseSmtpRelaySettings, type SmtpRelaySettings } from "./smtp-relay-settings.js";

/** The Message-ID of every attempt of an action: the same key gives the same id. */
export function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1);
  return `<${idempotencyKey}@${domain}>`;
}

/** The header that names the action a message was sent for. */
export const ACTION_ID_HEADER = "X-Plugboard-Action-Id";

function composeMessage(
  execution: ActionExecution<SendEmailActionPayload>,
  settings: SmtpRelaySettings,
) {
  const { payload } = execution;
  const mail = new MailComposer({
    from: settings.fromAddress,
    to: payload.to,
    ...(payload.cc === undefined ? {} : { cc: payload.cc }),
    ...(payload.bcc === undefined ? {} : { bcc: payload.bcc }),
    ...(payload.reply_to === undefined ? {} : { replyTo: payload.reply_to }),
    subject: payload.subject,
    text: payload.text,
    ...(payload.html === undefined ? {} : { html: payload.html }),
    messageId: messageIdFor(execution.idempotencyKey, settings.fromAddress),
    headers: { [ACTION_ID_HEADER]: execution.actionId },
  }).compile();
  return { mime: mail, envelope: mail.getEnvelope() };
}

/**
 * One SMTP exchange: connect, log in when the relay offers it and a username is stored, send,
 * quit. `stage` tracks how far it got, which decides whether a failure may be retried. The
 * whole exchange has `timeoutMs`; past it the connection is closed.
 */
async function sendOnce(
  execution: ActionExecution<SendEmailActionPayload>,
  settings: SmtpRelaySettings,
): Promise<ExecutionOutcome> {
  const { mime, envelope } = composeMessage(execution, settings);
  const message = await mime.build();
  const connection = new SMTPConnection({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    connectionTimeout: execution.timeoutMs,
    greetingTimeout: execution.timeoutMs,
    socketTimeout: execution.timeoutMs,
    logger: false,
  });
  let stage: SmtpStage = "connect";
  let deadline: NodeJS.Timeout | undefined;
  // A socket error (a refused connection, a reset) is emitted as an event, and a connect
  // callback may never run after it; later error events must not end the process.
  const broken = new Promise<never>((_resolve, reject) => connection.once("error", reject));
  connection.on("error", () => {});
  const exchange = (async () => {
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
    stage = "login";
    if (settings.auth !== null && connection.allowsAuth) {
      const auth = settings.auth;
      await new Promise<void>((resolve, reject) =>
        connection.login(auth, (error) => (error ? reject(error) : resolve())),
      );
    }
    stage = "send";
    return new Promise<ExecutionOutcome>((resolve, reject) =>
      connection.send(
        { from: envelope.from, to: envelope.to },
        message,
        (error: Error | null, info) => {
          if (error !== null || info === undefined) {
            reject(error ?? new Error("no send result"));
            return;
          }
          resolve({
            type: "succeeded",
            result: {
              message_id: mime.messageId(),
              response: info.response,
              accepted: info.accepted,
              rejected: info.rejected,
              ...(info.serverMessageId === undefined
                ? {}
                : { server_message_id: info.serverMessageId }),
            },
          });
        },
      ),
    );
  })();
  const timedOut = new Promise<never>((_resolve, reject) => {
    deadline = setTimeout(() => {
      const error = Object.assign(new Error(`no answer within ${execution.timeoutMs} ms`), {
        code: "ETIMEDOUT",
      });
      reject(error);
    }, execution.timeoutMs);
  });
  try {
    const outcome = await Promise.race([exchange, broken, timedOut]);
    connection.quit();
    return outcome;
  } catch (error) {
    connection.close();
    return classifySmtpFailure(error, stage);
  } finally {
    clearTimeout(deadline);
    // The losing sides of the race must not surface as unhandled rejections.
    exchange.catch(() => {});
    broken.catch(() => {});
  }
}

/** The first-party reviewed email send: one message through the SMTP relay per attempt. */
export const smtpReviewedSend = defineActionExecutor({
  pluginId: smtpReviewedSendExecutor.id,
  payloadSchema: SendEmailActionPayloadSchema,
  async execute(execution) {
    const relay = parseSmtpRelaySettings(execution.secrets);
    if ("problem" in relay) {
      return { type: "permanent", error: { code: "invalid_connection", message: relay.problem } };
    }
    return sendOnce(execution, relay.settings);
  },
});
