import { z } from "zod";

/** The host's caps on what one context call may carry; every field has a default. */
export const ContextLimitsSchema = z.strictObject({
  /** Storage keys and record ids, in characters. */
  maxKeyLength: z.int().min(1).max(65_536).default(512),
  /** A stored value or a data record, as JSON text, in characters. */
  maxValueLength: z
    .int()
    .min(1)
    .default(256 * 1_024),
  /** Keys one plugin may keep in storage. */
  maxStorageKeys: z.int().min(1).default(10_000),
  /** Bytes one plugin may keep in storage: each key and its value's JSON text, in UTF-8. */
  maxStorageBytes: z
    .int()
    .min(1)
    .default(16 * 1_024 * 1_024),
  /** Keys `storage.list` returns at most. */
  maxListKeys: z.int().min(1).default(1_000),
  /** Records `data.query` returns at most. */
  maxQueryRecords: z.int().min(1).default(1_000),
  /** An event's data, as JSON text, in characters. */
  maxEventDataLength: z
    .int()
    .min(1)
    .default(256 * 1_024),
  /** Events one context may publish a second, on average. */
  maxPublishPerSecond: z.number().positive().max(1_000_000).default(100),
  /** Events one context may publish at once, before `maxPublishPerSecond` applies. */
  publishBurst: z.int().min(1).default(100),
  /** Subscriptions one plugin may hold at once. */
  maxSubscriptions: z.int().min(1).default(64),
  /** Longer log messages are cut to this many characters. */
  maxLogMessageLength: z.int().min(16).default(4_096),
  /** Log data longer than this as JSON text is replaced with a note saying so. */
  maxLogDataLength: z
    .int()
    .min(16)
    .default(16 * 1_024),
  /** An outbound request body, in characters. */
  maxRequestBodyLength: z
    .int()
    .min(1)
    .default(1_024 * 1_024),
});
export type ContextLimitsInput = z.input<typeof ContextLimitsSchema>;
export type ContextLimits = z.output<typeof ContextLimitsSchema>;
