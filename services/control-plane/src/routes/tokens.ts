import { TokenSummarySchema } from "@plugboard/contracts";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import {
  createToken,
  findToken,
  listTokens,
  revokeToken,
  type TokenSummary,
} from "../auth/tokens.js";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";

// A stored row is outside input too (an older version may have written it): parse it.
const asContract = (summary: TokenSummary) => TokenSummarySchema.parse(summary);

/** POST, GET /v1/tokens and DELETE /v1/tokens/{id}; every change is audited with its actor. */
export function tokenHandlers(
  db: Kysely<Schema>,
): Pick<RouteHandlers, "createToken" | "listTokens" | "revokeToken"> {
  return {
    async createToken({ body, principal }) {
      const created = await db.transaction().execute(async (trx) => {
        const result = await createToken(trx, { ...body, createdBy: principal.tokenId });
        await recordAudit(trx, {
          actor: principal.tokenId,
          action: "token.create",
          target: result.summary.id,
          detail: { name: body.name, scopes: body.scopes },
        });
        return result;
      });
      return { token: created.token, summary: asContract(created.summary) };
    },

    async listTokens() {
      return { tokens: (await listTokens(db)).map(asContract) };
    },

    async revokeToken({ params: { id }, principal }) {
      const revoked = await db.transaction().execute(async (trx) => {
        if (!(await revokeToken(trx, id))) return false;
        await recordAudit(trx, { actor: principal.tokenId, action: "token.revoke", target: id });
        return true;
      });
      if (!revoked) throw new ApiError("PLUGBOARD_NOT_FOUND", `no live token with id ${id}`);
      const summary = await findToken(db, id);
      if (summary === undefined)
        throw new ApiError("PLUGBOARD_NOT_FOUND", `no token with id ${id}`);
      return asContract(summary);
    },
  };
}
