import { describe, expect, it } from "vitest";
import { ActionCreateRequestSchema, ActionCreateRequestWireSchema } from "./actions.js";
import { SendEmailActionPayloadSchema } from "./send-email-action.js";
import { fromWire, toWire } from "./wire-case.js";

describe("action contracts", () => {
  it("keeps the keys of an action payload as they are on the wire", () => {
    const request = {
      workerId: "w-1",
      kind: "send_email",
      payload: { to: ["ann@example.com"], reply_to: "bo@example.com", customField: 1 },
    };
    const wire = toWire(ActionCreateRequestSchema, request);
    expect(wire).toEqual({
      worker_id: "w-1",
      kind: "send_email",
      payload: { to: ["ann@example.com"], reply_to: "bo@example.com", customField: 1 },
    });
    expect(fromWire(ActionCreateRequestSchema, ActionCreateRequestWireSchema.parse(wire))).toEqual(
      request,
    );
  });

  it("refuses an email subject with a line break, and addresses that are not addresses", () => {
    const result = SendEmailActionPayloadSchema.safeParse({
      to: ["ann@example.com", "not an address"],
      subject: "Hello\r\nBcc: eve@example.com",
      text: "Hi",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["to.1", "subject"]);
  });

  it("needs at least one recipient in to", () => {
    expect(
      SendEmailActionPayloadSchema.safeParse({ to: [], subject: "s", text: "t" }).success,
    ).toBe(false);
  });
});
