import type { HookOrderProblem } from "@plugboard/plugin-sdk";

/**
 * Every error the hook engine reports, declared once: a code, the HTTP status a host should
 * answer with, and a title. Building a pipeline throws the first three; a fail-closed hook
 * that fails ends its request with the last.
 */
export const HOOK_ERRORS = {
  PLUGBOARD_HOOK_ORDER_INVALID: { status: 422, title: "Hook order constraints are invalid" },
  PLUGBOARD_HOOK_ID_DUPLICATE: { status: 422, title: "Two hooks have the same id" },
  PLUGBOARD_HOOK_OPTIONS_INVALID: { status: 500, title: "Hook pipeline options are invalid" },
  PLUGBOARD_HOOK_FAILED: { status: 503, title: "A fail-closed hook failed" },
} as const;

export type HookErrorCode = keyof typeof HOOK_ERRORS;

/** Thrown when a pipeline cannot be built; `code` is stable, `message` is for people. */
export class HookPipelineError extends Error {
  readonly code: Exclude<HookErrorCode, "PLUGBOARD_HOOK_FAILED">;
  readonly status: number;
  /** The order problems behind `PLUGBOARD_HOOK_ORDER_INVALID`, one per constraint. */
  readonly problems: readonly HookOrderProblem[];

  constructor(
    code: Exclude<HookErrorCode, "PLUGBOARD_HOOK_FAILED">,
    message: string,
    problems: readonly HookOrderProblem[] = [],
  ) {
    super(message);
    this.name = "HookPipelineError";
    this.code = code;
    this.status = HOOK_ERRORS[code].status;
    this.problems = problems;
  }
}
