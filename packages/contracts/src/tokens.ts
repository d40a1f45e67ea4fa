import { z } from "zod";
import { ScopeSchema } from "./scopes.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** A token as listed: never the token itself, which is shown once at creation. */
export const TokenSummarySchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  scopes: z.array(ScopeSchema),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().min(1),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummarySchema>;

export const TokenCreateRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z.array(ScopeSchema).min(1),
});
export type TokenCreateRequest = z.infer<typeof TokenCreateRequestSchema>;

/** The created token: `token` is the bearer secret, returned this once and never again. */
export const TokenCreateResponseSchema = z.strictObject({
  token: z.string().min(1),
  summary: TokenSummarySchema,
});
export type TokenCreateResponse = z.infer<typeof TokenCreateResponseSchema>;

export const TokenListResponseSchema = z.strictObject({ tokens: z.array(TokenSummarySchema) });
export type TokenListResponse = z.infer<typeof TokenListResponseSchema>;

export const TokenParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

export const TokenSummaryWireSchema: WireSchema<typeof TokenSummarySchema> =
  toWireSchema(TokenSummarySchema);
export const TokenCreateResponseWireSchema: WireSchema<typeof TokenCreateResponseSchema> =
  toWireSchema(TokenCreateResponseSchema);
export const TokenListResponseWireSchema: WireSchema<typeof TokenListResponseSchema> =
  toWireSchema(TokenListResponseSchema);
