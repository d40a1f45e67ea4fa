import { describe, expect, it } from "vitest";
import { classifySmtpFailure } from "./smtp-failure.js";

const nodemailerError = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? "failed")), fields);

describe("classifySmtpFailure", () => {
  it("retries a 4xx reply at any stage, since the server did not take the message", () => {
    for (const stage of ["connect", "login", "send"] as const) {
      const outcome = classifySmtpFailure(
        nodemailerError({ code: "EMESSAGE", responseCode: 451, command: "DATA" }),
        stage,
      );
      expect(outcome).toMatchObject({ type: "retryable", error: { code: "smtp_451" } });
    }
  });

  it("fails for good on a 5xx reply, including a refused login", () => {
    expect(
      classifySmtpFailure(nodemailerError({ code: "EENVELOPE", responseCode: 550 }), "send"),
    ).toMatchObject({ type: "permanent", error: { code: "smtp_550" } });
    expect(
      classifySmtpFailure(
        nodemailerError({ code: "EAUTH", responseCode: 535, command: "AUTH PLAIN" }),
        "login",
      ),
    ).toMatchObject({ type: "permanent", error: { code: "smtp_535" } });
  });

  it("retries a network failure before the message was handed over", () => {
    const refused = nodemailerError({
      code: "ESOCKET",
      message: "connect ECONNREFUSED 127.0.0.2:25",
      command: "CONN",
    });
    expect(classifySmtpFailure(refused, "connect")).toMatchObject({
      type: "retryable",
      error: { code: "smtp_socket", message: "connect ECONNREFUSED 127.0.0.2:25" },
    });
    expect(classifySmtpFailure(nodemailerError({ code: "ETIMEDOUT" }), "login").type).toBe(
      "retryable",
    );
  });

  it("calls a dropped or timed-out connection while sending unknown, never retryable", () => {
    expect(classifySmtpFailure(nodemailerError({ code: "ECONNECTION" }), "send").type).toBe(
      "unknown",
    );
    expect(
      classifySmtpFailure(nodemailerError({ code: "ETIMEDOUT", command: "CONN" }), "send").type,
    ).toBe("unknown");
    expect(classifySmtpFailure("something odd", "send")).toMatchObject({
      type: "unknown",
      error: { code: "smtp_error", message: "something odd" },
    });
  });

  it("fails for good on what nodemailer refused before sending anything, and on TLS it cannot get", () => {
    expect(
      classifySmtpFailure(nodemailerError({ code: "EENVELOPE", command: "API" }), "send").type,
    ).toBe("permanent");
    expect(classifySmtpFailure(nodemailerError({ code: "ETLS" }), "connect").type).toBe(
      "permanent",
    );
  });
});
