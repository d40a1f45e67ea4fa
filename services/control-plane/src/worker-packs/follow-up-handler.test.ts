import { describe, expect, it } from "vitest";
import type { ForwardEmailData } from "../events/route-events.js";
import type { DraftModel, DraftRequest } from "./draft-model.js";
import { handleFollowUpRouteEvent } from "./follow-up-handler.js";
import type { RouteEventInput } from "./route-event-handler.js";
import { createTemplateDraftModel, DraftTemplateError } from "./template-draft-model.js";

function forwardEmail(overrides: Partial<ForwardEmailData> = {}): RouteEventInput {
  const data: ForwardEmailData = {
    messageId: "m-1",
    from: { email: "ana@acme.example", name: "Ana Lima" },
    to: [],
    cc: [],
    replyTo: "",
    subject: "Fwd: Renewal",
    date: "",
    textBody:
      "---------- Forwarded message ---------\nFrom: Bo <bo@client.example>\nSubject: Renewal\n\nShall we renew for two years? Let me know.",
    htmlBody: "",
    strippedTextReply: "",
    attachments: [],
    ...overrides,
  };
  return {
    id: "evt-1",
    routeKind: "forward_email",
    source: "ingress.x.y",
    correlationId: "evt-1",
    data,
  };
}

const model = createTemplateDraftModel();

describe("the follow-up pack's route-event behaviour", () => {
  it("drafts a reply to the forwarded message's author and asks to send it", async () => {
    const handling = await handleFollowUpRouteEvent(forwardEmail(), { model });
    expect(handling.type).toBe("output");
    if (handling.type !== "output") return;
    const [draft] = handling.workItems;
    expect(draft?.kind).toBe("email_draft");
    expect(draft?.body).toMatchObject({
      to: ["bo@client.example"],
      subject: "Re: Renewal",
      model: "template",
    });
    expect(handling.actionRequests).toEqual([
      {
        kind: "send_email",
        payload: {
          to: ["bo@client.example"],
          subject: "Re: Renewal",
          text: expect.stringContaining('You wrote: "Shall we renew for two years?"'),
        },
        workItem: 0,
      },
    ]);
  });

  it("writes the same draft for the same event every time", async () => {
    const first = await handleFollowUpRouteEvent(forwardEmail(), { model });
    const second = await handleFollowUpRouteEvent(forwardEmail(), { model });
    expect(second).toEqual(first);
  });

  it("replies to the Reply-To address, then the sender, when nothing was forwarded", async () => {
    const plain = {
      textBody: "Please call me back.",
      subject: "Call",
      strippedTextReply: "Please call me back.",
    };
    const withReplyTo = await handleFollowUpRouteEvent(
      forwardEmail({ ...plain, replyTo: "Desk <desk@acme.example>" }),
      { model },
    );
    expect(withReplyTo.type === "output" && withReplyTo.actionRequests[0]?.payload.to).toEqual([
      "desk@acme.example",
    ]);
    const withoutReplyTo = await handleFollowUpRouteEvent(forwardEmail(plain), { model });
    expect(
      withoutReplyTo.type === "output" && withoutReplyTo.actionRequests[0]?.payload.to,
    ).toEqual(["ana@acme.example"]);
  });

  it("passes the pack's instructions and only the facts it states to a plugged-in model", async () => {
    const requests: DraftRequest[] = [];
    const recording: DraftModel = {
      name: "recording",
      draft: async (request) => {
        requests.push(request);
        return "text from the model";
      },
    };
    const handling = await handleFollowUpRouteEvent(forwardEmail(), { model: recording });
    expect(requests[0]).toMatchObject({ workerPackId: "follow_up_v1", task: "follow_up_email" });
    expect(requests[0]?.instructions).toContain("never send without approval");
    expect(Object.keys(requests[0]?.facts ?? {}).sort()).toEqual([
      "quoted_line",
      "recipient_first_name",
      "sender_name",
      "topic",
    ]);
    expect(handling.type === "output" && handling.workItems[0]?.body).toMatchObject({
      text: "text from the model",
      model: "recording",
    });
  });

  it("drafts nothing for a watched-inbox notification, and says why", async () => {
    const handling = await handleFollowUpRouteEvent(
      {
        ...forwardEmail(),
        routeKind: "watched_inbox",
        data: { emailAddress: "a@b.example", historyId: "1", publishedAt: "" },
      },
      { model },
    );
    expect(handling).toEqual({ type: "skip", reason: expect.stringContaining("no message text") });
  });

  it("fails on forward_email data that is not the route's shape", async () => {
    await expect(
      handleFollowUpRouteEvent({ ...forwardEmail(), data: { subject: 1 } }, { model }),
    ).rejects.toThrow();
  });
});

describe("the template draft model", () => {
  it("refuses a task it has no template for, and a template fact that is missing", async () => {
    const request = { workerPackId: "p_v1", instructions: "", task: "unknown_task", facts: {} };
    await expect(model.draft(request)).rejects.toBeInstanceOf(DraftTemplateError);
    await expect(model.draft({ ...request, task: "follow_up_email" })).rejects.toThrow(
      /needs the fact "recipient_first_name"/,
    );
  });
});
