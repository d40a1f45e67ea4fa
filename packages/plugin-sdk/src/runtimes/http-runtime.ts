import { z } from "zod";
import { SecretKeySchema } from "../base-fields.js";
import { SNAKE_CASE } from "../grammar.js";
import { JsonValueSchema } from "../plugin-code/json-value.js";
import { HttpMethodSchema, JobStatusSchema } from "../vocabulary.js";

// The last label starts with a letter, as every top-level domain does, so a dotted IPv4
// address such as 169.254.169.254 is not a host name.
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** One host an HTTP runtime may call: a lowercase DNS name, never a wildcard or an IP. */
export const AllowedDomainSchema = z.string().regex(HOSTNAME, {
  error: "expected a lowercase host name such as api.example.com (no scheme, wildcard or port)",
});

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const HeaderNameSchema = z.string().regex(HEADER_NAME, { error: "expected an HTTP header name" });

/** How the runtime authenticates; secret fields name entries of the manifest's `secretKeys`. */
export const HttpAuthSchema = z.discriminatedUnion("scheme", [
  z.strictObject({ scheme: z.literal("none") }),
  z.strictObject({
    scheme: z.literal("basic"),
    usernameSecret: SecretKeySchema,
    passwordSecret: SecretKeySchema,
  }),
  z.strictObject({ scheme: z.literal("bearer"), tokenSecret: SecretKeySchema }),
  z.strictObject({
    scheme: z.literal("api_key_header"),
    header: HeaderNameSchema,
    secret: SecretKeySchema,
  }),
  z.strictObject({
    scheme: z.literal("api_key_query"),
    param: z.string().min(1),
    secret: SecretKeySchema,
  }),
]);
export type HttpAuth = z.infer<typeof HttpAuthSchema>;

/** A string with `{{ path }}` placeholders, escaped by the interpreter for where it lands. */
const TemplateSchema = z.string();

/** A value path into a response: `data.id`, `items[0].status`. */
export const ResponsePathSchema = z
  .string()
  .regex(/^[A-Za-z_$][A-Za-z0-9_$]*(?:\[[0-9]+\]|\.[A-Za-z_$][A-Za-z0-9_$]*)*$/, {
    error: "expected a response path such as data.id or items[0].status",
  });

/** A JSON body with `{{ path }}` placeholders in its strings. */
const JsonTemplateSchema = JsonValueSchema;

export const HttpBodySchema = z.discriminatedUnion("encoding", [
  z.strictObject({ encoding: z.literal("json"), template: JsonTemplateSchema }),
  z.strictObject({
    encoding: z.literal("form"),
    fields: z.record(z.string().min(1), TemplateSchema),
  }),
  z.strictObject({
    encoding: z.literal("multipart"),
    fields: z.record(z.string().min(1), TemplateSchema),
    files: z.record(z.string().min(1), TemplateSchema).optional(),
  }),
]);
export type HttpBody = z.infer<typeof HttpBodySchema>;

export const HttpResponseMappingSchema = z.strictObject({
  /** Output field name to the response path it is read from. */
  fields: z.record(z.string().regex(SNAKE_CASE), ResponsePathSchema).optional(),
  /** Where the provider's own status string is found. */
  statusPath: ResponsePathSchema.optional(),
  /** Provider status string to Plugboard job status. */
  statusMap: z.record(z.string().min(1), JobStatusSchema).optional(),
});
export type HttpResponseMapping = z.infer<typeof HttpResponseMappingSchema>;

export const HttpOperationSchema = z.strictObject({
  method: HttpMethodSchema,
  // Not TemplateSchema.min(1): a reused schema with an added check is exported as a `$ref`
  // beside `minLength`, which strict JSON Schema validators refuse.
  url: z.string().min(1),
  headers: z.record(HeaderNameSchema, TemplateSchema).optional(),
  query: z.record(z.string().min(1), TemplateSchema).optional(),
  body: HttpBodySchema.optional(),
  response: HttpResponseMappingSchema.optional(),
  timeoutMs: z.int().min(1).max(120_000).optional(),
});
export type HttpOperation = z.infer<typeof HttpOperationSchema>;

/**
 * The declarative HTTP form: request/response operations interpreted by the host through
 * its egress guard. `allowedDomains` must list at least one host: an empty list allows
 * nothing, never everything.
 */
export const HttpRuntimeSchema = z.strictObject({
  type: z.literal("http"),
  allowedDomains: z.array(AllowedDomainSchema).min(1),
  auth: HttpAuthSchema,
  operations: z.record(
    z
      .string()
      .regex(SNAKE_CASE, { error: "expected a snake_case operation name such as send_fax" }),
    HttpOperationSchema,
  ),
});
export type HttpRuntime = z.infer<typeof HttpRuntimeSchema>;
