import { describe, expect, it } from "vitest";
import { parseSmtpRelaySettings } from "./smtp-relay-settings.js";

const secrets = (overrides: Record<string, string> = {}) =>
  new Map(
    Object.entries({
      smtp_host: "smtp.example.com",
      smtp_port: "587",
      smtp_username: "mailer",
      smtp_password: "s3cret-value",
      smtp_from_address: "team@example.com",
      ...overrides,
    }),
  );

describe("parseSmtpRelaySettings", () => {
  it("requires STARTTLS on a relay across the network", () => {
    expect(parseSmtpRelaySettings(secrets())).toEqual({
      settings: {
        host: "smtp.example.com",
        port: 587,
        secure: false,
        requireTls: true,
        auth: { user: "mailer", pass: "s3cret-value" },
        fromAddress: "team@example.com",
      },
    });
  });

  it("uses implicit TLS on port 465", () => {
    const parsed = parseSmtpRelaySettings(secrets({ smtp_port: "465" }));
    expect(parsed).toMatchObject({ settings: { secure: true, requireTls: false } });
  });

  it("lets a relay on a loopback address go without TLS", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1"]) {
      const parsed = parseSmtpRelaySettings(secrets({ smtp_host: host }));
      expect(parsed).toMatchObject({ settings: { requireTls: false } });
    }
  });

  it("does not log in when no username is stored", () => {
    expect(parseSmtpRelaySettings(secrets({ smtp_username: "" }))).toMatchObject({
      settings: { auth: null },
    });
  });

  it("names the bad keys without repeating their values", () => {
    const parsed = parseSmtpRelaySettings(
      secrets({ smtp_port: "smtp-port-value", smtp_from_address: "not-an-address-value" }),
    );
    expect(parsed).toHaveProperty("problem");
    const problem = "problem" in parsed ? parsed.problem : "";
    expect(problem).toContain("smtp_port");
    expect(problem).toContain("smtp_from_address");
    expect(problem).not.toContain("smtp-port-value");
    expect(problem).not.toContain("not-an-address-value");
  });
});
