import { INPUT_ROUTE_KINDS } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { type ForwardEmailData, ROUTE_EVENT_DATA } from "../../events/route-events.js";
import { parseJsonBody, parsePayload } from "../webhook-body.js";
import type { IngressNormalizer } from "./ingress-normalizer.js";

const PostmarkMailboxSchema = z.object({ Email: z.string(), Name: z.string().default("") });

/** The fields of Postmark's inbound webhook the forward-email route event uses. */
const PostmarkInboundSchema = z.object({
  MessageID: z.string().min(1).max(255),
  FromFull: PostmarkMailboxSchema,
  ToFull: z.array(PostmarkMailboxSchema).default([]),
  CcFull: z.array(PostmarkMailboxSchema).default([]),
  ReplyTo: z.string().default(""),
  Subject: z.string().default(""),
  Date: z.string().default(""),
  TextBody: z.string().default(""),
  HtmlBody: z.string().default(""),
  StrippedTextReply: z.string().default(""),
  Attachments: z
    .array(
      z.object({
        Name: z.string(),
        ContentType: z.string(),
        ContentLength: z.int().min(0),
      }),
    )
    .default([]),
});

const mailbox = (entry: { Email: string; Name: string }) => ({
  email: entry.Email,
  name: entry.Name,
});

/** `ingress.postmark.forward-email`: a Postmark inbound message becomes `forward_email`. */
export const postmarkForwardEmailNormalizer: IngressNormalizer = {
  routeKind: INPUT_ROUTE_KINDS.forwardEmail,
  version: ROUTE_EVENT_DATA[INPUT_ROUTE_KINDS.forwardEmail].version,
  normalize(delivery) {
    const message = parsePayload(
      PostmarkInboundSchema,
      parseJsonBody(delivery.body),
      "a Postmark inbound message",
    );
    const data: ForwardEmailData = {
      messageId: message.MessageID,
      from: mailbox(message.FromFull),
      to: message.ToFull.map(mailbox),
      cc: message.CcFull.map(mailbox),
      replyTo: message.ReplyTo,
      subject: message.Subject,
      date: message.Date,
      textBody: message.TextBody,
      htmlBody: message.HtmlBody,
      strippedTextReply: message.StrippedTextReply,
      attachments: message.Attachments.map((attachment) => ({
        name: attachment.Name,
        contentType: attachment.ContentType,
        contentLength: attachment.ContentLength,
      })),
    };
    return { providerEventId: message.MessageID, data };
  },
};
