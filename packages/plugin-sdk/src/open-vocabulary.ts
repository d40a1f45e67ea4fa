import { z } from "zod";
import { SNAKE_CASE } from "./grammar.js";

/**
 * A value of an open vocabulary (provider keys, route kinds, action kinds, …): any
 * snake_case string. Whether it refers to something real is `checkRegistry`'s business.
 */
export function openValue(noun: string, example: string) {
  return z
    .string()
    .regex(SNAKE_CASE, { error: `expected a snake_case ${noun} such as ${example}` });
}

export const ProviderKeySchema = openValue("provider key", "smtp_relay");
export const InputRouteKindSchema = openValue("input route kind", "forward_email");
export const ActionKindSchema = openValue("action kind", "send_email");
export const WorkItemKindSchema = openValue("work item kind", "email_draft");
export const WorkerKindSchema = openValue("worker kind", "follow_up");
export const CapabilitySchema = openValue("capability", "read_threads");
export const ChannelTypeSchema = openValue("channel type", "sms");
export const ChannelOperationSchema = openValue("channel operation", "send_message");
export const EntityTypeSchema = openValue("entity type", "contacts");
