import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** How long an issued OAuth state is accepted by default, and the bounds a caller may set. */
export const OAUTH_STATE_TTL_SECONDS = { default: 600, min: 60, max: 3_600 } as const;

/** Issues a `state` for an authorisation the caller is about to start. */
export const OAuthStateIssueRequestSchema = z.strictObject({
  /** Seconds the state is accepted for; 600 when left out. */
  ttlSeconds: z.int().min(OAUTH_STATE_TTL_SECONDS.min).max(OAUTH_STATE_TTL_SECONDS.max).optional(),
});
export type OAuthStateIssueRequest = z.infer<typeof OAuthStateIssueRequestSchema>;

/**
 * An issued state: put `state` and `callbackUrl` (as `redirect_uri`) in the authorisation
 * request. The state is shown once and accepted once, by this adapter, until `expiresAt`.
 */
export const OAuthStateSchema = z.strictObject({
  /** Names the state in the audit log and in the callback's route event (`state_id`). */
  id: z.string().min(1),
  pluginId: PluginIdSchema,
  /** The value to send as `state`; only its digest is stored. */
  state: z.string().min(1),
  /** Where the provider redirects back to: `<origin>/webhooks/<plugin id>`. */
  callbackUrl: z.url(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type OAuthState = z.infer<typeof OAuthStateSchema>;

export const OAuthStateIssueRequestWireSchema: WireSchema<typeof OAuthStateIssueRequestSchema> =
  toWireSchema(OAuthStateIssueRequestSchema);
export const OAuthStateWireSchema: WireSchema<typeof OAuthStateSchema> =
  toWireSchema(OAuthStateSchema);
