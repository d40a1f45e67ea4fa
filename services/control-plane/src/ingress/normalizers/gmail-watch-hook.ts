import { INPUT_ROUTE_KINDS } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { ROUTE_EVENT_DATA, type WatchedInboxData } from "../../events/route-events.js";
import { parseJsonBody, parsePayload } from "../webhook-body.js";
import type { IngressNormalizer } from "./ingress-normalizer.js";

/** A Pub/Sub push request, the way Gmail delivers watch notifications. */
const PubSubPushSchema = z.object({
  message: z.object({
    data: z.base64(),
    messageId: z.string().min(1).max(255),
    publishTime: z.string().default(""),
  }),
});

/** The notification Gmail puts in the Pub/Sub message's data. */
const GmailNotificationSchema = z.object({
  emailAddress: z.string().min(1),
  historyId: z.union([z.string().regex(/^\d+$/), z.int().min(0)]),
});

/** `ingress.gmail.watch-hook`: a Gmail change notification becomes `watched_inbox`. */
export const gmailWatchHookNormalizer: IngressNormalizer = {
  routeKind: INPUT_ROUTE_KINDS.watchedInbox,
  version: ROUTE_EVENT_DATA[INPUT_ROUTE_KINDS.watchedInbox].version,
  normalize(delivery) {
    const push = parsePayload(
      PubSubPushSchema,
      parseJsonBody(delivery.body),
      "a Pub/Sub push message",
    );
    const notification = parsePayload(
      GmailNotificationSchema,
      parseJsonBody(Buffer.from(push.message.data, "base64")),
      "a Gmail notification in message.data",
    );
    const data: WatchedInboxData = {
      emailAddress: notification.emailAddress,
      historyId: String(notification.historyId),
      publishedAt: push.message.publishTime,
    };
    return { providerEventId: push.message.messageId, data };
  },
};
