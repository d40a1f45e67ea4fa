import {
  gmailWatchHookAdapter,
  ingressAdapterPlugins,
  postmarkForwardEmailAdapter,
} from "@plugboard/plugin-manifests";
import type { IngressAdapterManifest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { ForwardEmailDataSchema, WatchedInboxDataSchema } from "../../events/route-events.js";
import { ApiError } from "../../http/problem-handler.js";
import type { WebhookDelivery } from "../webhook-delivery.js";
import { FIRST_PARTY_NORMALIZERS, normalizerFor } from "./index.js";

const delivery = (adapter: IngressAdapterManifest, body: unknown): WebhookDelivery => ({
  adapter,
  headers: {},
  contentType: "application/json",
  body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  receivedAt: new Date("2025-03-01T12:00:00Z"),
});

const thrown = (run: () => unknown): ApiError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
};

describe("first-party ingress normalisers", () => {
  it("serve every first-party ingress adapter with a route kind its manifest declares", () => {
    for (const adapter of ingressAdapterPlugins) {
      const normalizer = FIRST_PARTY_NORMALIZERS.get(adapter.id);
      expect(normalizer, adapter.id).toBeDefined();
      expect(adapter.normalizedInputRouteKinds).toContain(normalizer?.routeKind);
    }
    expect([...FIRST_PARTY_NORMALIZERS.keys()].sort()).toEqual(
      ingressAdapterPlugins.map((adapter) => adapter.id).sort(),
    );
  });

  it("turns a Postmark inbound message into forward_email data keyed on its MessageID", () => {
    const normalized = normalizerFor(postmarkForwardEmailAdapter).normalize(
      delivery(postmarkForwardEmailAdapter, {
        MessageID: "73e6d360-66eb-11e1-8e72-a8904824019b",
        FromFull: { Email: "ana@example.com", Name: "Ana", MailboxHash: "" },
        ToFull: [{ Email: "inbound@example.net", Name: "", MailboxHash: "ahash" }],
        Subject: "Fwd: proposal",
        TextBody: "Can you follow up?",
        Attachments: [
          { Name: "a.pdf", Content: "JVBERi0=", ContentType: "application/pdf", ContentLength: 5 },
        ],
        Tag: "ignored",
      }),
    );
    expect(normalized.providerEventId).toBe("73e6d360-66eb-11e1-8e72-a8904824019b");
    expect(ForwardEmailDataSchema.parse(normalized.data)).toEqual({
      messageId: "73e6d360-66eb-11e1-8e72-a8904824019b",
      from: { email: "ana@example.com", name: "Ana" },
      to: [{ email: "inbound@example.net", name: "" }],
      cc: [],
      replyTo: "",
      subject: "Fwd: proposal",
      date: "",
      textBody: "Can you follow up?",
      htmlBody: "",
      strippedTextReply: "",
      attachments: [{ name: "a.pdf", contentType: "application/pdf", contentLength: 5 }],
    });
  });

  it("names the Postmark field a malformed message lacks", () => {
    const error = thrown(() =>
      normalizerFor(postmarkForwardEmailAdapter).normalize(
        delivery(postmarkForwardEmailAdapter, { MessageID: "m-1", FromFull: { Name: "Ana" } }),
      ),
    );
    expect(error.code).toBe("PLUGBOARD_VALIDATION_FAILED");
    expect(error.errors.map((issue) => issue.path)).toEqual(["FromFull.Email"]);
  });

  it("refuses a body that is not JSON with 400", () => {
    const error = thrown(() =>
      normalizerFor(postmarkForwardEmailAdapter).normalize(
        delivery(postmarkForwardEmailAdapter, "MessageID=m-1"),
      ),
    );
    expect(error.code).toBe("PLUGBOARD_BAD_REQUEST");
  });

  it("turns a Gmail Pub/Sub push into watched_inbox data keyed on the Pub/Sub message id", () => {
    const notification = { emailAddress: "team@example.com", historyId: 9_876_543_210 };
    const normalized = normalizerFor(gmailWatchHookAdapter).normalize(
      delivery(gmailWatchHookAdapter, {
        message: {
          data: Buffer.from(JSON.stringify(notification)).toString("base64"),
          messageId: "2070443601311540",
          message_id: "2070443601311540",
          publishTime: "2025-03-01T11:59:58.123Z",
        },
        subscription: "projects/acme/subscriptions/gmail-watch",
      }),
    );
    expect(normalized.providerEventId).toBe("2070443601311540");
    expect(WatchedInboxDataSchema.parse(normalized.data)).toEqual({
      emailAddress: "team@example.com",
      historyId: "9876543210",
      publishedAt: "2025-03-01T11:59:58.123Z",
    });
  });

  it("names the field of a Gmail notification that is missing from the message data", () => {
    const error = thrown(() =>
      normalizerFor(gmailWatchHookAdapter).normalize(
        delivery(gmailWatchHookAdapter, {
          message: { data: Buffer.from("{}").toString("base64"), messageId: "1" },
        }),
      ),
    );
    expect(error.errors.map((issue) => issue.path)).toEqual(["emailAddress", "historyId"]);
  });
});

describe("normalisers of adapters without code", () => {
  const adapter: IngressAdapterManifest = {
    ...postmarkForwardEmailAdapter,
    id: "ingress.acme.orders",
    owner: "third_party",
    normalizedInputRouteKinds: ["acme_order", "acme_refund"],
  };

  it("pass a JSON body through as the data of the first declared route kind", () => {
    const normalizer = normalizerFor(adapter);
    expect(normalizer.routeKind).toBe("acme_order");
    expect(normalizer.normalize(delivery(adapter, { order: 7 }))).toEqual({
      providerEventId: undefined,
      data: { order: 7 },
    });
  });

  it("pass a form body through as its fields", () => {
    const form = {
      ...delivery(adapter, "a=1&b=two"),
      contentType: "application/x-www-form-urlencoded",
    };
    expect(normalizerFor(adapter).normalize(form).data).toEqual({ a: "1", b: "two" });
  });

  it("refuse a body that is neither JSON nor a form with 415", () => {
    const text = { ...delivery(adapter, "hello"), contentType: "text/plain" };
    expect(thrown(() => normalizerFor(adapter).normalize(text)).code).toBe(
      "PLUGBOARD_UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("answer 503 for an adapter whose normaliser is plugin code", () => {
    const coded = { ...adapter, runtime: { type: "module" as const, entry: "dist/index.js" } };
    expect(thrown(() => normalizerFor(coded)).code).toBe("PLUGBOARD_UNAVAILABLE");
  });
});
