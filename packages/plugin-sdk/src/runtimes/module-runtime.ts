import { z } from "zod";

/** A JavaScript module, run in the sandbox, that default-exports `definePlugin(...)`. */
export const ModuleRuntimeSchema = z.strictObject({
  type: z.literal("module"),
  entry: z.string().regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]+\.(?:js|mjs|cjs)$/, {
    error:
      "expected a relative path to a .js, .mjs or .cjs file inside the package, such as dist/index.js",
  }),
});
export type ModuleRuntime = z.infer<typeof ModuleRuntimeSchema>;
