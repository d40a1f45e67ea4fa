import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Schema } from "../store/schema.js";

/** The id of the bootstrap admin token row. */
export const ADMIN_TOKEN_ID = "admin";

export interface Principal {
  readonly tokenId: string;
  readonly scopes: ReadonlySet<string>;
}

export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
}

/** A new bearer token: a prefix that makes leaked tokens greppable, then 256 random bits. */
export function generateToken(): string {
  return `pbt_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function toSummary(row: Schema["tokens"]): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes_json) as string[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
  };
}

export async function createToken(
  db: Kysely<Schema>,
  input: { name: string; scopes: readonly string[]; createdBy: string },
): Promise<{ token: string; summary: TokenSummary }> {
  const token = generateToken();
  const row = {
    id: randomUUID(),
    name: input.name,
    hash: hashToken(token),
    scopes_json: JSON.stringify([...input.scopes]),
    created_at: new Date().toISOString(),
    created_by: input.createdBy,
    revoked_at: null,
  };
  await db.insertInto("tokens").values(row).execute();
  return { token, summary: toSummary(row) };
}

export async function listTokens(db: Kysely<Schema>): Promise<TokenSummary[]> {
  const rows = await db
    .selectFrom("tokens")
    .selectAll()
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toSummary);
}

export async function findToken(db: Kysely<Schema>, id: string): Promise<TokenSummary | undefined> {
  const row = await db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : toSummary(row);
}

/** Revokes a token; returns false when there is no such live token. */
export async function revokeToken(db: Kysely<Schema>, id: string): Promise<boolean> {
  const result = await db
    .updateTable("tokens")
    .set({ revoked_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The principal of a presented token, or undefined. Rows are found by the token's hash;
 * the stored hash is then compared in constant time.
 */
export async function authenticateToken(
  db: Kysely<Schema>,
  presented: string,
): Promise<Principal | undefined> {
  const hash = hashToken(presented);
  const row = await db.selectFrom("tokens").selectAll().where("hash", "=", hash).executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) return undefined;
  const stored = Buffer.from(row.hash, "hex");
  const computed = Buffer.from(hash, "hex");
  if (stored.length !== computed.length || !timingSafeEqual(stored, computed)) return undefined;
  return { tokenId: row.id, scopes: new Set(JSON.parse(row.scopes_json) as string[]) };
}

/**
 * Makes sure the bootstrap admin token exists with every scope. With a configured token its
 * hash is stored (replacing an older one); without one, a token is generated once and
 * returned so the caller can show it a single time. Returns undefined when nothing new was
 * generated.
 */
export async function ensureAdminToken(
  db: Kysely<Schema>,
  configured: string | undefined,
  scopes: readonly string[],
): Promise<string | undefined> {
  const existing = await db
    .selectFrom("tokens")
    .selectAll()
    .where("id", "=", ADMIN_TOKEN_ID)
    .executeTakeFirst();
  const now = new Date().toISOString();
  if (configured !== undefined) {
    const hash = hashToken(configured);
    if (existing === undefined) {
      await db
        .insertInto("tokens")
        .values({
          id: ADMIN_TOKEN_ID,
          name: "bootstrap admin",
          hash,
          scopes_json: JSON.stringify(scopes),
          created_at: now,
          created_by: "system",
          revoked_at: null,
        })
        .execute();
    } else {
      await db
        .updateTable("tokens")
        .set({ hash, scopes_json: JSON.stringify(scopes), revoked_at: null })
        .where("id", "=", ADMIN_TOKEN_ID)
        .execute();
    }
    return undefined;
  }
  if (existing !== undefined) {
    await db
      .updateTable("tokens")
      .set({ scopes_json: JSON.stringify(scopes) })
      .where("id", "=", ADMIN_TOKEN_ID)
      .execute();
    return undefined;
  }
  const token = generateToken();
  await db
    .insertInto("tokens")
    .values({
      id: ADMIN_TOKEN_ID,
      name: "bootstrap admin",
      hash: hashToken(token),
      scopes_json: JSON.stringify(scopes),
      created_at: now,
      created_by: "system",
      revoked_at: null,
    })
    .execute();
  return token;
}
