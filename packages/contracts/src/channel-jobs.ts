import { CHANNEL_OPERATIONS, JobStatusSchema } from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginIdSchema } from "./registry.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

const OneLine = /^[^\r\n]*$/;

/** What `send_fax` sends: a number and an https URL the provider fetches the document from. */
export const FaxInputSchema = z.strictObject({
  to: z.string().min(1).max(64).regex(OneLine, { error: "expected one line" }),
  documentUrl: z.url({ protocol: /^https$/, error: "expected an https URL of the document" }),
});

/** What `send_message` sends (SMS, email, WhatsApp, …). */
export const MessageInputSchema = z.strictObject({
  to: z.string().min(1).max(320).regex(OneLine, { error: "expected one line" }),
  body: z.string().min(1).max(100_000),
  subject: z
    .string()
    .max(998)
    .regex(OneLine, { error: "expected a subject on one line" })
    .optional(),
});

/** What `place_call` needs. */
export const CallInputSchema = z.strictObject({
  to: z.string().min(1).max(64).regex(OneLine, { error: "expected one line" }),
});

/** What `get_status` asks about: the provider's id of a job. */
export const JobStatusInputSchema = z.strictObject({
  jobId: z.string().min(1).max(512).regex(OneLine, { error: "expected one line" }),
});

/**
 * The input of each channel operation, as code (and templates: `{{ input.documentUrl }}`)
 * sees it; on the wire its keys are snake_case (`document_url`, `job_id`). A send's `input`
 * and a dry run of the same operation take the same body.
 */
export const CHANNEL_OPERATION_INPUTS = {
  [CHANNEL_OPERATIONS.sendFax]: FaxInputSchema,
  [CHANNEL_OPERATIONS.sendMessage]: MessageInputSchema,
  [CHANNEL_OPERATIONS.placeCall]: CallInputSchema,
  [CHANNEL_OPERATIONS.getStatus]: JobStatusInputSchema,
} as const;

/** The operations a job can be created with, and their input. */
export const ChannelSendRequestSchema = z.discriminatedUnion("operation", [
  z.strictObject({ operation: z.literal(CHANNEL_OPERATIONS.sendFax), input: FaxInputSchema }),
  z.strictObject({
    operation: z.literal(CHANNEL_OPERATIONS.sendMessage),
    input: MessageInputSchema,
  }),
  z.strictObject({ operation: z.literal(CHANNEL_OPERATIONS.placeCall), input: CallInputSchema }),
]);
export type ChannelSendRequest = z.infer<typeof ChannelSendRequestSchema>;

export const ChannelParamsSchema = z.strictObject({ plugin: PluginIdSchema });

/** Why a send or a refresh did not get an answer it could use. */
export const JobErrorSchema = z.strictObject({
  code: z.string().min(1),
  message: z.string(),
  /** Whether the same request may succeed later. */
  retryable: z.boolean(),
  /** The provider's HTTP status, when it answered. */
  httpStatus: z.int().nullable(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * One message, fax or call sent through a channel, and where the provider says it stands.
 * A job keeps the manifest version and config revision it was sent with; refreshing it uses
 * that snapshot, so editing the channel later never redirects a job already sent.
 */
export const ChannelJobSchema = z.strictObject({
  id: z.uuid(),
  pluginId: PluginIdSchema,
  operation: z.enum([
    CHANNEL_OPERATIONS.sendFax,
    CHANNEL_OPERATIONS.sendMessage,
    CHANNEL_OPERATIONS.placeCall,
  ]),
  status: JobStatusSchema,
  input: z.union([FaxInputSchema, MessageInputSchema, CallInputSchema]),
  /** The provider's id of the job, read from its answer; null until it gave one. */
  providerJobId: z.string().nullable(),
  /** The provider's own word for the status, as it last gave it. */
  providerStatus: z.string().nullable(),
  manifestVersion: z.string().min(1),
  /** The config revision the job was sent with; 0 for the defaults. */
  configRevision: z.int().min(0),
  lastError: JobErrorSchema.nullable(),
  refreshes: z.int().min(0),
  createdBy: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  lastRefreshedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ChannelJob = z.infer<typeof ChannelJobSchema>;

export const JobParamsSchema = z.strictObject({ id: z.uuid() });

/** A refresh takes no settings; send `{}`. */
export const JobRefreshRequestSchema = z.strictObject({});

export const JobListQuerySchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected a next_cursor value from an earlier page" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  pluginId: PluginIdSchema.optional(),
  status: JobStatusSchema.optional(),
});
export type JobListQuery = z.infer<typeof JobListQuerySchema>;

export const JobListResponseSchema = z.strictObject({
  jobs: z.array(ChannelJobSchema),
  nextCursor: z.string().nullable(),
});
export type JobListResponse = z.infer<typeof JobListResponseSchema>;

export const ChannelJobWireSchema: WireSchema<typeof ChannelJobSchema> =
  toWireSchema(ChannelJobSchema);
export const JobListResponseWireSchema: WireSchema<typeof JobListResponseSchema> =
  toWireSchema(JobListResponseSchema);
