import { z } from "zod";
import { HttpRuntimeSchema } from "./http-runtime.js";
import { ModuleRuntimeSchema } from "./module-runtime.js";

/** Either runtime form, for kinds whose operations are request/response. */
export const RuntimeSchema = z.discriminatedUnion("type", [ModuleRuntimeSchema, HttpRuntimeSchema]);
export type Runtime = z.infer<typeof RuntimeSchema>;
