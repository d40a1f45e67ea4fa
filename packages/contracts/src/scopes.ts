import { z } from "zod";

/** What an API token may do; every route requires exactly one of these. */
export const SCOPES = [
  "admin:plugins:read",
  "admin:plugins:write",
  "actions:review",
  "tokens:manage",
] as const;
export const ScopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof ScopeSchema>;
