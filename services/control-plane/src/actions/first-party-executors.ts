import type { ActionExecutorImplementation } from "./action-executor-implementation.js";
import { smtpReviewedSend } from "./executors/smtp-reviewed-send.js";

/** The action executors whose code ships with the control plane. */
export const FIRST_PARTY_ACTION_EXECUTORS: readonly ActionExecutorImplementation[] = [
  smtpReviewedSend,
];
