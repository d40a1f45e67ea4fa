import {
  createTokenRoute,
  listTokensRoute,
  revokeTokenRoute,
  TokenCreateRequestSchema,
  TokenCreateResponseSchema,
  TokenListResponseSchema,
  TokenParamsSchema,
  TokenSummarySchema,
  toWire,
} from "@plugboard/contracts";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/audit-log.js";
import { requireScope } from "../auth/require-scope.js";
import {
  createToken,
  findToken,
  listTokens,
  revokeToken,
  type TokenSummary,
} from "../auth/tokens.js";
import { parseWireOrThrow } from "../http/parse-wire.js";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";

// A stored row is outside input too (an older version may have written it): parse it.
const asContract = (summary: TokenSummary) => TokenSummarySchema.parse(summary);

/** POST, GET /v1/tokens and DELETE /v1/tokens/{id}; every change is audited with its actor. */
export function registerTokenRoutes(app: FastifyInstance, db: Kysely<Schema>): void {
  app.post("/v1/tokens", async (request, reply) => {
    const principal = await requireScope(db, request, createTokenRoute.scope);
    const body = parseWireOrThrow(TokenCreateRequestSchema, request.body, "request body");
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
    const response = { token: created.token, summary: asContract(created.summary) };
    return reply.status(201).send(toWire(TokenCreateResponseSchema, response));
  });

  app.get("/v1/tokens", async (request, reply) => {
    await requireScope(db, request, listTokensRoute.scope);
    const tokens = (await listTokens(db)).map(asContract);
    return reply.send(toWire(TokenListResponseSchema, { tokens }));
  });

  app.delete("/v1/tokens/:id", async (request, reply) => {
    const principal = await requireScope(db, request, revokeTokenRoute.scope);
    const { id } = parseWireOrThrow(TokenParamsSchema, request.params, "path");
    const revoked = await db.transaction().execute(async (trx) => {
      if (!(await revokeToken(trx, id))) return false;
      await recordAudit(trx, { actor: principal.tokenId, action: "token.revoke", target: id });
      return true;
    });
    if (!revoked) throw new ApiError("PLUGBOARD_NOT_FOUND", `no live token with id ${id}`);
    const summary = await findToken(db, id);
    if (summary === undefined) throw new ApiError("PLUGBOARD_NOT_FOUND", `no token with id ${id}`);
    return reply.send(toWire(TokenSummarySchema, asContract(summary)));
  });
}
