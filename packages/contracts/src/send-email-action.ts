import { z } from "zod";

const AddressSchema = z.email({ error: "expected an email address such as ann@example.com" });
const AddressListSchema = z.array(AddressSchema).max(100);

/**
 * The payload of a `send_email` action. Its keys are data on the wire and are written in
 * snake_case here. Header values may not hold line breaks.
 *
 * @example
 * { to: ["ann@example.com"], subject: "Next steps", text: "Hi Ann, …" }
 */
export const SendEmailActionPayloadSchema = z.strictObject({
  to: AddressListSchema.min(1),
  cc: AddressListSchema.optional(),
  bcc: AddressListSchema.optional(),
  subject: z
    .string()
    .min(1)
    .max(998)
    .regex(/^[^\r\n]*$/, { error: "expected a subject on one line" }),
  text: z.string().max(1_000_000),
  html: z.string().max(1_000_000).optional(),
  reply_to: AddressSchema.optional(),
});
export type SendEmailActionPayload = z.infer<typeof SendEmailActionPayloadSchema>;
