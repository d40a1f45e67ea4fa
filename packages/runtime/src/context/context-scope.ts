import { ContextError } from "./context-errors.js";
import type { ContextLimits } from "./context-limits.js";
import type { ContextServices } from "./context-services.js";
import type { ContextGrants } from "./require-permission.js";

/** What every part of one plugin's context shares. */
export interface ContextScope {
  readonly grants: ContextGrants;
  readonly version: string;
  readonly secretKeys: readonly string[];
  readonly services: ContextServices;
  readonly limits: ContextLimits;
  /** Secret values this context put into outbound requests, redacted from its logs. */
  readonly injectedSecrets: Set<string>;
}

/** The service, or `unavailable` naming the call when the host provides none. */
export function requireService<T>(service: T | undefined, operation: string, noun: string): T {
  if (service === undefined) {
    throw new ContextError("unavailable", `${operation}: this host provides no ${noun}`);
  }
  return service;
}

/**
 * Runs a host service call; a failure that is not already a `ContextError` becomes
 * `host_failed`, so plugin code never sees the host's own error text (paths, SQL, addresses).
 */
export async function callService<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ContextError) throw error;
    throw new ContextError("host_failed", `${operation} failed in the host`, { cause: error });
  }
}

/** A short description of a value's type for error messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Checks a string argument: present, a string, 1 to `maxLength` characters. */
export function requireText(value: unknown, where: string, maxLength: number): string {
  if (typeof value !== "string") {
    throw new ContextError("invalid_argument", `${where} must be a string, got ${typeName(value)}`);
  }
  if (value.length === 0) throw new ContextError("invalid_argument", `${where} must not be empty`);
  if (value.length > maxLength) {
    throw new ContextError(
      "limit_exceeded",
      `${where} is ${value.length} characters; the limit is ${maxLength}`,
    );
  }
  return value;
}
