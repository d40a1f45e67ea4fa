import { type ChannelManifest, defineManifest, type HttpRuntime } from "@plugboard/plugin-sdk";

// Equivalents of the first-party Faxline and Textline manifests in @plugboard/plugin-manifests,
// which the runtime does not depend on. Test servers listen on a random port, so the URLs
// and the outbound permissions name it.

/** A channel manifest narrowed to its HTTP runtime, as a host hands it to the interpreter. */
export interface HttpChannel {
  readonly id: string;
  readonly kind: "channel";
  readonly permissions: readonly string[];
  readonly secretKeys: readonly string[];
  readonly runtime: HttpRuntime;
}

function httpChannel(manifest: ChannelManifest): HttpChannel {
  if (manifest.runtime?.type !== "http") throw new Error(`${manifest.id} has no HTTP runtime`);
  return {
    id: manifest.id,
    kind: manifest.kind,
    permissions: manifest.permissions ?? [],
    secretKeys: manifest.secretKeys ?? [],
    runtime: manifest.runtime,
  };
}

const FAXLINE_STATUSES = {
  queued: "queued",
  processing: "in_progress",
  sending: "in_progress",
  delivered: "succeeded",
  failed: "failed",
  canceled: "failed",
} as const;

/** The Faxline fax channel: bearer auth, a JSON body, status by job id. */
export function faxlineChannel(port: number): HttpChannel {
  const host = `api.faxline.example:${port}`;
  const response = {
    fields: { job_id: "id", status: "status" },
    statusPath: "status",
    statusMap: { ...FAXLINE_STATUSES },
  };
  return httpChannel(
    defineManifest({
      kind: "channel",
      id: "channel.fax.faxline",
      version: "1.0.0",
      displayName: "Faxline Fax",
      description: "Sends documents by fax through the Faxline API.",
      owner: "first_party",
      stability: "pilot",
      category: "communication",
      engines: { plugboard: "^1.0.0" },
      permissions: [`network:outbound:${host}`],
      secretKeys: ["faxline_api_token"],
      channelType: "fax",
      operations: ["send_fax", "get_status"],
      runtime: {
        type: "http",
        allowedDomains: ["api.faxline.example"],
        auth: { scheme: "bearer", tokenSecret: "faxline_api_token" },
        operations: {
          send_fax: {
            method: "POST",
            url: `https://${host}/v1/faxes`,
            headers: { Accept: "application/json" },
            body: {
              encoding: "json",
              template: {
                to: "{{ input.to }}",
                from: "{{ config.senderNumber }}",
                document_url: "{{ input.documentUrl }}",
                cover_page: "{{ config.coverPage }}",
              },
            },
            response,
            timeoutMs: 30_000,
          },
          get_status: {
            method: "GET",
            url: `https://${host}/v1/faxes/{{ input.jobId }}`,
            headers: { Accept: "application/json" },
            response,
          },
        },
      },
    }),
  );
}

const TEXTLINE_STATUSES = {
  accepted: "queued",
  queued: "queued",
  sending: "in_progress",
  sent: "in_progress",
  delivered: "succeeded",
  undelivered: "failed",
  failed: "failed",
} as const;

/** The Textline SMS channel: basic auth from two secrets, a form body. */
export function textlineChannel(port: number): HttpChannel {
  const host = `api.textline.example:${port}`;
  const response = {
    fields: { job_id: "sid", status: "status" },
    statusPath: "status",
    statusMap: { ...TEXTLINE_STATUSES },
  };
  return httpChannel(
    defineManifest({
      kind: "channel",
      id: "channel.sms.textline",
      version: "1.0.0",
      displayName: "Textline SMS",
      description: "Sends text messages through the Textline API and receives replies.",
      owner: "first_party",
      stability: "pilot",
      category: "communication",
      engines: { plugboard: "^1.0.0" },
      permissions: [`network:outbound:${host}`, "network:inbound"],
      secretKeys: ["textline_account_id", "textline_auth_token"],
      channelType: "sms",
      operations: ["send_message", "get_status", "receive"],
      runtime: {
        type: "http",
        allowedDomains: ["api.textline.example"],
        auth: {
          scheme: "basic",
          usernameSecret: "textline_account_id",
          passwordSecret: "textline_auth_token",
        },
        operations: {
          send_message: {
            method: "POST",
            url: `https://${host}/v1/messages`,
            body: {
              encoding: "form",
              fields: {
                to: "{{ input.to }}",
                from: "{{ config.senderNumber }}",
                body: "{{ input.body }}",
              },
            },
            response,
            timeoutMs: 15_000,
          },
          get_status: {
            method: "GET",
            url: `https://${host}/v1/messages/{{ input.jobId }}`,
            response,
          },
        },
      },
    }),
  );
}
