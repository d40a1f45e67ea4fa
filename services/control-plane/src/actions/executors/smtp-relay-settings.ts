import { issuesFromZod } from "@plugboard/contracts";
import { z } from "zod";

/** The SMTP relay connection's secrets, as the relay's manifest names them. */
const SmtpRelaySecretsSchema = z.object({
  smtp_host: z.string().trim().min(1),
  smtp_port: z.coerce.number().int().min(1).max(65_535),
  smtp_username: z.string(),
  smtp_password: z.string(),
  smtp_from_address: z.email(),
});

export interface SmtpRelaySettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** Refuse to go on unless the server upgrades the connection with STARTTLS. */
  readonly requireTls: boolean;
  /** Null when no username is stored: the relay is used without logging in. */
  readonly auth: { readonly user: string; readonly pass: string } | null;
  readonly fromAddress: string;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * Reads the relay settings from its secrets. Port 465 means implicit TLS; any other port must
 * offer STARTTLS, so the login and the message never cross the network in clear, unless the
 * relay is on this machine (a loopback address). Errors name the key, never the value.
 */
export function parseSmtpRelaySettings(
  secrets: ReadonlyMap<string, string>,
): { readonly settings: SmtpRelaySettings } | { readonly problem: string } {
  const parsed = SmtpRelaySecretsSchema.safeParse(Object.fromEntries(secrets));
  if (!parsed.success) {
    const problems = issuesFromZod(parsed.error.issues).map(
      (issue) => `${issue.path}: ${issue.message}`,
    );
    return { problem: `the SMTP relay connection is invalid: ${problems.join("; ")}` };
  }
  const value = parsed.data;
  const secure = value.smtp_port === 465;
  return {
    settings: {
      host: value.smtp_host,
      port: value.smtp_port,
      secure,
      requireTls: !secure && !LOOPBACK.test(value.smtp_host),
      auth:
        value.smtp_username === ""
          ? null
          : { user: value.smtp_username, pass: value.smtp_password },
      fromAddress: value.smtp_from_address,
    },
  };
}
