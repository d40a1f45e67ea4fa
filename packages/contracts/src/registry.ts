import {
  BUILT_IN_KINDS,
  type BuiltInKind,
  ManifestBaseSchema,
  PLUGIN_KINDS,
  PluginCategorySchema,
  PluginStabilitySchema,
  SEMVER,
} from "@plugboard/plugin-sdk";
import { z } from "zod";
import { PluginRuntimeSchema } from "./plugin-runtime.js";
import { toWireSchema, type WireSchema } from "./wire-case.js";

/** A manifest version, exactly as the SDK's `version` field declares it. */
const VersionSchema = ManifestBaseSchema.shape.version;

/** The name of a built-in kind, such as `connection_provider`. */
export const PluginKindSchema = z.enum(PLUGIN_KINDS);

/** Any plugin id: an id of the form one of the built-in kinds prescribes. */
export const PluginIdSchema = z
  .string()
  .regex(new RegExp(BUILT_IN_KINDS.map((kind) => `(?:${kind.idPattern.source})`).join("|")), {
    error: `expected a plugin id such as provider.gmail (${BUILT_IN_KINDS.map((kind) => kind.idConvention).join(", ")})`,
  });

/** How a plugin stands on this host. */
export const InstallationSchema = z.strictObject({
  /** The installed version; null when the plugin is known but not installed. */
  installedVersion: VersionSchema.nullable(),
  enabled: z.boolean(),
  /** Setup steps the operator has finished, out of the manifest's `setupSteps`. */
  setup: z
    .strictObject({ completed: z.int().min(0), total: z.int().min(0) })
    .refine((setup) => setup.completed <= setup.total, {
      error: "completed cannot exceed total",
      path: ["completed"],
    }),
});
export type Installation = z.infer<typeof InstallationSchema>;

type EntrySchemaOf<K extends BuiltInKind> =
  K["schema"] extends z.ZodObject<infer Shape, z.core.$strict>
    ? z.ZodObject<Shape & { installation: typeof InstallationSchema }, z.core.$strict>
    : never;
type EntrySchemaByKind = { readonly [K in BuiltInKind as K["name"]]: EntrySchemaOf<K> };
type KindLists = { [K in BuiltInKind as K["name"]]: z.ZodArray<EntrySchemaOf<K>> };
type EntrySchemasOf<Kinds extends readonly BuiltInKind[]> = {
  -readonly [I in keyof Kinds]: Kinds[I] extends BuiltInKind ? EntrySchemaOf<Kinds[I]> : never;
};

/**
 * The registry entry schema of each built-in kind: the kind's full manifest schema plus
 * `installation`. Built from `BUILT_IN_KINDS`, so a new kind gets an entry schema with it.
 */
export const REGISTRY_ENTRY_SCHEMAS = Object.fromEntries(
  BUILT_IN_KINDS.map((kind) => [
    kind.name,
    kind.schema.extend({ installation: InstallationSchema }),
  ]),
) as unknown as EntrySchemaByKind;

// Interfaces name these schema types, so declaration files refer to them instead of
// spelling out every kind's manifest wherever they are used.
export interface RegistryEntrySchemaType
  extends z.ZodDiscriminatedUnion<EntrySchemasOf<typeof BUILT_IN_KINDS>, "kind"> {}
export interface RegistryKindsSchemaType extends z.ZodObject<KindLists, z.core.$strict> {}

/** A plugin as a console shows it: every manifest field, plus how it stands on this host. */
export const RegistryEntrySchema: RegistryEntrySchemaType = z.discriminatedUnion(
  "kind",
  // The same schemas in BUILT_IN_KINDS order; a mapped tuple type TypeScript cannot infer.
  BUILT_IN_KINDS.map((kind) => REGISTRY_ENTRY_SCHEMAS[kind.name]) as unknown as EntrySchemasOf<
    typeof BUILT_IN_KINDS
  >,
);
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

const RegistryKindsSchema: RegistryKindsSchemaType = z.strictObject(
  Object.fromEntries(
    BUILT_IN_KINDS.map((kind) => [kind.name, z.array(REGISTRY_ENTRY_SCHEMAS[kind.name])]),
  ) as unknown as KindLists,
);

/** The whole registry grouped by kind; every built-in kind is present, possibly empty. */
export const RegistryResponseSchema = z.strictObject({
  /** The plugin API version this host implements. */
  apiVersion: z.string().regex(SEMVER),
  generatedAt: z.iso.datetime({ offset: true }),
  kinds: RegistryKindsSchema,
});
export type RegistryResponse = z.infer<typeof RegistryResponseSchema>;

/**
 * Groups entries by kind for `RegistryResponse.kinds`: every built-in kind present, each list
 * in the order given. Checks each entry against its kind's schema on the way.
 */
export function groupEntriesByKind(entries: readonly RegistryEntry[]): RegistryResponse["kinds"] {
  const groups = BUILT_IN_KINDS.map((kind) => [
    kind.name,
    entries.filter((entry) => entry.kind === kind.name),
  ]);
  return RegistryResponseSchema.shape.kinds.parse(Object.fromEntries(groups));
}

/** Filters of the plugin list; each narrows the list, all together narrow it further. */
export const PluginListQuerySchema = z.strictObject({
  kind: PluginKindSchema.optional(),
  category: PluginCategorySchema.optional(),
  stability: PluginStabilitySchema.optional(),
});
export type PluginListQuery = z.infer<typeof PluginListQuerySchema>;

export const PluginListResponseSchema = z.strictObject({
  plugins: z.array(RegistryEntrySchema),
});
export type PluginListResponse = z.infer<typeof PluginListResponseSchema>;

export const PluginParamsSchema = z.strictObject({ id: PluginIdSchema });
export type PluginParams = z.infer<typeof PluginParamsSchema>;

/** One version of a plugin the host has seen. */
export const PluginVersionSchema = z.strictObject({
  version: VersionSchema,
  registeredAt: z.iso.datetime({ offset: true }),
  /** Whether this is the version installed now. */
  installed: z.boolean(),
});
export type PluginVersion = z.infer<typeof PluginVersionSchema>;

/** One plugin with its version history, newest first. */
export const PluginDetailResponseSchema = z.strictObject({
  plugin: RegistryEntrySchema,
  versions: z.array(PluginVersionSchema),
  /** How the plugin runs here and where its runtime stands, with its recent transitions. */
  runtime: PluginRuntimeSchema,
});
export type PluginDetailResponse = z.infer<typeof PluginDetailResponseSchema>;

/** `GET /v1/plugins/{id}/health`: the plugin's runtime alone. */
export const PluginHealthResponseSchema = z.strictObject({
  pluginId: PluginIdSchema,
  runtime: PluginRuntimeSchema,
});
export type PluginHealthResponse = z.infer<typeof PluginHealthResponseSchema>;

export const RegistryEntryWireSchema: WireSchema<typeof RegistryEntrySchema> =
  toWireSchema(RegistryEntrySchema);
export const RegistryResponseWireSchema: WireSchema<typeof RegistryResponseSchema> =
  toWireSchema(RegistryResponseSchema);
export const PluginListQueryWireSchema: WireSchema<typeof PluginListQuerySchema> =
  toWireSchema(PluginListQuerySchema);
export const PluginListResponseWireSchema: WireSchema<typeof PluginListResponseSchema> =
  toWireSchema(PluginListResponseSchema);
export const PluginParamsWireSchema: WireSchema<typeof PluginParamsSchema> =
  toWireSchema(PluginParamsSchema);
export const PluginDetailResponseWireSchema: WireSchema<typeof PluginDetailResponseSchema> =
  toWireSchema(PluginDetailResponseSchema);
export const PluginHealthResponseWireSchema: WireSchema<typeof PluginHealthResponseSchema> =
  toWireSchema(PluginHealthResponseSchema);
