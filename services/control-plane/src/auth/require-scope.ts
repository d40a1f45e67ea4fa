import type { Scope } from "@plugboard/contracts";
import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";
import { authenticateToken, type Principal } from "./tokens.js";

/** Resolves the bearer token of a request and checks it holds `scope`; throws 401 / 403. */
export async function requireScope(
  db: Kysely<Schema>,
  request: FastifyRequest,
  scope: Scope,
): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([\x21-\x7e]+)$/.exec(header);
  if (match?.[1] === undefined) {
    throw new ApiError(
      "PLUGBOARD_UNAUTHORIZED",
      "expected an Authorization: Bearer <token> header",
    );
  }
  const principal = await authenticateToken(db, match[1]);
  if (principal === undefined)
    throw new ApiError("PLUGBOARD_UNAUTHORIZED", "the token is unknown or revoked");
  if (!principal.scopes.has(scope)) {
    throw new ApiError("PLUGBOARD_FORBIDDEN", `this route needs the scope ${scope}`);
  }
  return principal;
}
