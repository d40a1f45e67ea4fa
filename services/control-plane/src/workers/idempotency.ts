import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { ApiError } from "../http/problem-handler.js";
import type { Schema } from "../store/schema.js";

const HEADER = "idempotency-key";
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The `Idempotency-Key` of a request: undefined when absent, 400 when malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !KEY_PATTERN.test(value)) {
    throw new ApiError("PLUGBOARD_BAD_REQUEST", "the Idempotency-Key header is invalid", [
      {
        path: `headers.${HEADER}`,
        message: "expected one value of 1 to 200 printable ASCII characters",
        code: "invalid_format",
      },
    ]);
  }
  return value;
}

/** A stable digest of a request body, so a reused key with another body is recognised. */
export function requestDigest(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/**
 * The stored outcome of an earlier request with this key, or undefined. A key reused with a
 * different body is refused with 422, as the key then names two different requests.
 */
export async function findStoredOutcome(
  db: Kysely<Schema>,
  operation: string,
  key: string,
  digest: string,
): Promise<unknown> {
  const row = await db
    .selectFrom("idempotency_keys")
    .selectAll()
    .where("operation", "=", operation)
    .where("key", "=", key)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.request_hash !== digest) {
    throw new ApiError(
      "PLUGBOARD_VALIDATION_FAILED",
      "this Idempotency-Key was already used with a different request body",
      [
        {
          path: `headers.${HEADER}`,
          message: "expected a new key for a different request",
          code: "idempotency_key_reused",
        },
      ],
    );
  }
  return JSON.parse(row.response_json);
}

/** Stores an outcome under its key; call inside the transaction that produced it. */
export async function storeOutcome(
  db: Kysely<Schema>,
  entry: { operation: string; key: string; digest: string; status: number; response: unknown },
): Promise<void> {
  await db
    .insertInto("idempotency_keys")
    .values({
      key: entry.key,
      operation: entry.operation,
      request_hash: entry.digest,
      status: entry.status,
      response_json: JSON.stringify(entry.response),
      created_at: new Date().toISOString(),
    })
    .execute();
}
