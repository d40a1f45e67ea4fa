import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { writeSecrets } from "../secrets/secret-store.js";
import type { SecretVault } from "../secrets/secret-vault.js";
import type { Schema } from "../store/schema.js";

/**
 * The secret an OAuth callback's authorisation code is stored as, sealed, for the adapter
 * that received it. A later callback replaces it.
 */
export const OAUTH_CODE_SECRET_KEY = "oauth_authorization_code";

/** 32 random bytes, base64url: what a provider sends back as `state`. */
const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

const digestOf = (state: string) => createHash("sha256").update(state).digest("hex");

/** A state just issued; `state` is shown to the caller once and only its digest is kept. */
export interface IssuedOAuthState {
  readonly id: string;
  readonly state: string;
  readonly expiresAt: string;
}

/**
 * Issues a state for an authorisation of `pluginId`, accepted once until `ttlSeconds` from
 * `now`, and audits it (without the state) in the same transaction.
 */
export async function issueOAuthState(
  db: Kysely<Schema>,
  issue: {
    readonly pluginId: string;
    readonly issuedBy: string;
    readonly ttlSeconds: number;
    readonly now: Date;
  },
): Promise<IssuedOAuthState> {
  const id = randomUUID();
  const state = randomBytes(32).toString("base64url");
  const issuedAt = issue.now.toISOString();
  const expiresAt = new Date(issue.now.getTime() + issue.ttlSeconds * 1000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("oauth_states")
      .values({
        id,
        plugin_id: issue.pluginId,
        state_digest: digestOf(state),
        issued_by: issue.issuedBy,
        issued_at: issuedAt,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await recordAudit(trx, {
      actor: issue.issuedBy,
      action: "oauth_state.issue",
      target: issue.pluginId,
      detail: { stateId: id, expiresAt },
    });
  });
  return { id, state, expiresAt };
}

/**
 * Why a state is not accepted: it was never issued (or is malformed), it was issued for
 * another adapter, it expired, or a callback already used it.
 */
export type OAuthStateRefusal = "state_unknown" | "state_mismatch" | "state_expired" | "state_used";

export type OAuthStateCheck =
  | { readonly accepted: true; readonly id: string }
  | { readonly accepted: false; readonly reason: OAuthStateRefusal };

/** Whether `state` would be accepted for `pluginId` at `now`, without using it up. */
export async function checkOAuthState(
  db: Kysely<Schema>,
  pluginId: string,
  state: string,
  now: Date,
): Promise<OAuthStateCheck> {
  if (!STATE_FORMAT.test(state)) return { accepted: false, reason: "state_unknown" };
  const row = await db
    .selectFrom("oauth_states")
    .select(["id", "plugin_id", "expires_at", "used_at"])
    .where("state_digest", "=", digestOf(state))
    .executeTakeFirst();
  if (row === undefined) return { accepted: false, reason: "state_unknown" };
  if (row.plugin_id !== pluginId) return { accepted: false, reason: "state_mismatch" };
  if (row.used_at !== null) return { accepted: false, reason: "state_used" };
  if (row.expires_at < now.toISOString()) return { accepted: false, reason: "state_expired" };
  return { accepted: true, id: row.id };
}

/**
 * Uses `state` up for `pluginId` and stores the callback's authorisation code sealed as the
 * adapter's `oauth_authorization_code` secret, in one transaction: of two callbacks with one
 * state exactly one is accepted. The audit entry names the state, never the code.
 */
export async function redeemOAuthState(
  db: Kysely<Schema>,
  vault: SecretVault,
  redemption: {
    readonly pluginId: string;
    readonly state: string;
    readonly code: string | undefined;
    readonly now: Date;
  },
): Promise<OAuthStateCheck> {
  const at = redemption.now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable("oauth_states")
      .set({ used_at: at })
      .where("state_digest", "=", digestOf(redemption.state))
      .where("plugin_id", "=", redemption.pluginId)
      .where("used_at", "is", null)
      .where("expires_at", ">=", at)
      .returning("id")
      .executeTakeFirst();
    if (used === undefined) return undefined;
    if (redemption.code !== undefined) {
      await writeSecrets(trx, vault, redemption.pluginId, {
        [OAUTH_CODE_SECRET_KEY]: redemption.code,
      });
    }
    await recordAudit(trx, {
      actor: "system",
      action: "oauth_state.use",
      target: redemption.pluginId,
      detail: { stateId: used.id, codeStored: redemption.code !== undefined },
    });
    return used.id;
  });
  if (id !== undefined) return { accepted: true, id };
  // Lost to another callback, or refused: say which, as a check would.
  const check = await checkOAuthState(db, redemption.pluginId, redemption.state, redemption.now);
  return check.accepted ? { accepted: false, reason: "state_used" } : check;
}
