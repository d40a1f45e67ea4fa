import { INPUT_ROUTE_KINDS } from "@plugboard/plugin-sdk";
import { ForwardEmailDataSchema } from "../events/route-events.js";
import { followUpPack } from "./follow-up.js";
import { bareSubject, findForwardedMessage, parseMailbox } from "./forwarded-message.js";
import type { RouteEventHandler } from "./route-event-handler.js";

/** The first sentence of a text, on one line, cut at `max` characters. */
function firstSentence(text: string, max = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

function firstName(name: string, email: string): string {
  const first = name.split(/[\s,]+/).find((part) => part !== "");
  return first ?? email.slice(0, email.indexOf("@"));
}

/**
 * The follow-up pack's behaviour. A forwarded email becomes an `email_draft` to the person
 * who wrote the forwarded message (or, when nothing was forwarded, to the sender), with a
 * `send_email` request carrying it, which the worker's boundary mode then governs. A
 * watched-inbox event names only a mailbox and a history id, and nothing in the control
 * plane fetches its messages, so it drafts nothing here and says so.
 */
export const handleFollowUpRouteEvent: RouteEventHandler = async (event, { model, signal }) => {
  if (event.routeKind === INPUT_ROUTE_KINDS.watchedInbox) {
    return {
      type: "skip",
      reason: "watched-inbox notifications carry no message text; nothing was drafted",
    };
  }
  if (event.routeKind !== INPUT_ROUTE_KINDS.forwardEmail) {
    return { type: "skip", reason: `the follow-up pack drafts nothing for ${event.routeKind}` };
  }
  const email = ForwardEmailDataSchema.parse(event.data);
  const forwarded = findForwardedMessage(email.textBody);
  const recipient = forwarded?.from ??
    parseMailbox(email.replyTo) ?? { name: email.from.name, email: email.from.email };
  const topic = bareSubject(forwarded?.subject || email.subject) || "our conversation";
  const quoted = firstSentence(forwarded?.body ?? email.strippedTextReply);
  const subject = `Re: ${topic}`;
  const text = await model.draft(
    {
      workerPackId: followUpPack.id,
      instructions: followUpPack.systemPrompt,
      task: "follow_up_email",
      facts: {
        recipient_first_name: firstName(recipient.name, recipient.email),
        topic: `"${topic}"`,
        quoted_line: quoted === "" ? "" : ` You wrote: "${quoted}"`,
        sender_name: email.from.name || email.from.email,
      },
    },
    signal,
  );
  const to = recipient.name === "" ? recipient.email : `${recipient.name} <${recipient.email}>`;
  return {
    type: "output",
    workItems: [
      {
        kind: "email_draft",
        title: `Follow-up to ${to}: ${subject}`,
        body: {
          to: [recipient.email],
          subject,
          text,
          in_reply_to: email.messageId,
          model: model.name,
        },
      },
    ],
    actionRequests: [
      { kind: "send_email", payload: { to: [recipient.email], subject, text }, workItem: 0 },
    ],
  };
};
