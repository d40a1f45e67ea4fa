import type { HookFailureKind } from "./hook.js";

/** How one hook call failed: the kind, a message for people, and what was thrown, if anything. */
export class HookCallFailure {
  readonly kind: HookFailureKind;
  readonly message: string;
  readonly error: unknown;

  constructor(kind: HookFailureKind, message: string, error?: unknown) {
    this.kind = kind;
    this.message = message;
    this.error = error;
  }
}

/** A thrown value as text, without trusting its `toString` or `message` getters. */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === "string" ? error : `a thrown ${typeof error}`;
  } catch {
    return "an error that could not be described";
  }
}
