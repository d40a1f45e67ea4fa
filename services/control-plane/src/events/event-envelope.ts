import { z } from "zod";

/** A subject token: letters, digits, `_` and `-`; tokens are joined by dots. */
const SUBJECT = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * Every event on the bus. `type` is also the subject subscribers match (`route.forward_email`);
 * `version` is the version of `data`'s shape for that type; `correlationId` is carried by
 * everything that follows from the event. A bus whose events come from outside the process
 * parses them with this schema; in-process publishers build it typed.
 */
export const EventEnvelopeSchema = z.strictObject({
  id: z.string().min(1),
  type: z.string().regex(SUBJECT, { error: "expected dot-separated tokens such as route.chat" }),
  version: z.int().min(1),
  time: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  correlationId: z.string().min(1),
  data: z.json(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
