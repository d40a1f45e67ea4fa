import { describe, expect, it } from "vitest";
import { bareSubject, findForwardedMessage, parseMailbox } from "./forwarded-message.js";

describe("findForwardedMessage", () => {
  it("reads the author, subject and text under a Gmail forward marker", () => {
    const text = [
      "Can you reply to this?",
      "",
      "---------- Forwarded message ---------",
      "From: Bo Client <Bo@Client.example>",
      "Date: Mon, 3 Mar 2025 at 17:40",
      "Subject: Q3 proposal timeline",
      "To: Ana <ana@acme.example>",
      "",
      "We need it by the 20th.",
      "Bo",
    ].join("\r\n");
    expect(findForwardedMessage(text)).toEqual({
      from: { name: "Bo Client", email: "bo@client.example" },
      subject: "Q3 proposal timeline",
      body: "We need it by the 20th.\nBo",
    });
  });

  it("reads Outlook's original-message block and Apple Mail's forwarded block", () => {
    const outlook =
      "-----Original Message-----\nFrom: Cy <cy@x.example>\nSent: Monday\nSubject: RE: Rates\n\nHello";
    expect(findForwardedMessage(outlook)?.from.email).toBe("cy@x.example");
    const apple =
      'Begin forwarded message:\n\nFrom: "Doe, Jo" <jo@y.example>\nSubject: Kickoff\n\nSee you';
    expect(findForwardedMessage(apple)).toMatchObject({
      from: { name: "Doe, Jo", email: "jo@y.example" },
      subject: "Kickoff",
      body: "See you",
    });
  });

  it("stops the forwarded text at the next forwarded message", () => {
    const text =
      "---------- Forwarded message ---------\nFrom: a@b.example\n\nfirst\n---------- Forwarded message ---------\nFrom: c@d.example\n\nsecond";
    expect(findForwardedMessage(text)?.body).toBe("first");
  });

  it("finds nothing in a body that forwards nothing, or whose block names no sender", () => {
    expect(findForwardedMessage("Just a note, nothing forwarded.")).toBeUndefined();
    expect(
      findForwardedMessage("---------- Forwarded message ---------\nSubject: x\n\nbody"),
    ).toBeUndefined();
  });
});

describe("parseMailbox and bareSubject", () => {
  it("reads names and addresses in the forms mail clients write", () => {
    expect(parseMailbox("Bo [mailto:bo@c.example]")).toEqual({ name: "Bo", email: "bo@c.example" });
    expect(parseMailbox("bo@c.example")).toEqual({ name: "", email: "bo@c.example" });
    expect(parseMailbox("no address here")).toBeUndefined();
  });

  it("drops any number of reply and forward prefixes", () => {
    expect(bareSubject("Re: FWD: fw:  Q3 plan ")).toBe("Q3 plan");
    expect(bareSubject("Resume review")).toBe("Resume review");
  });
});
