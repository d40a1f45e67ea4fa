import { z } from "zod";
import { type BaseFields, baseFields } from "../base-fields.js";
import { PlugboardError } from "../errors.js";
import { SNAKE_CASE } from "../grammar.js";

/**
 * The registry vocabularies manifests provide values to and reference values from.
 * `write_capable_provider` is the subset of `provider` whose connections can send.
 */
export const LINK_VOCABULARIES = {
  provider: "connection provider",
  write_capable_provider: "write-capable connection provider",
  route_kind: "input route kind",
  action_kind: "action kind",
  worker_pack_id: "worker pack id",
} as const;
export type LinkVocabulary = keyof typeof LINK_VOCABULARIES;

/** A value a manifest provides to, or references from, a registry vocabulary. */
export interface ManifestLink {
  readonly vocabulary: LinkVocabulary;
  readonly value: string;
  /** Where the value sits in the manifest, such as `destinationProviders[0]`. */
  readonly path: string;
}

export interface KindLinks {
  /** Values this manifest makes available to others. */
  readonly provides?: readonly ManifestLink[];
  /** Values this manifest needs someone (a manifest or the host) to provide. */
  readonly references?: readonly ManifestLink[];
  /** Provided values that no other manifest may provide too. */
  readonly unique?: readonly ManifestLink[];
}

/** A problem inside one manifest that its schema alone cannot see. */
export interface KindProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

type KindShape<Name extends string, Fields extends z.core.$ZodLooseShape> = Omit<
  BaseFields,
  keyof Fields
> & { kind: z.ZodLiteral<Name>; id: z.ZodString } & Fields;

export type KindSchema<Name extends string, Fields extends z.core.$ZodLooseShape> = z.ZodObject<
  KindShape<Name, Fields>,
  z.core.$strict
>;

/** A manifest kind: its name, id convention, schema and registry behaviour. */
export interface KindDefinition<
  Name extends string = string,
  Schema extends z.ZodType = z.ZodType,
> {
  readonly name: Name;
  readonly idPattern: RegExp;
  /** The id convention as an author reads it, such as `provider.<system>[.<qualifier>]`. */
  readonly idConvention: string;
  readonly schema: Schema;
  readonly links: (manifest: z.output<Schema>) => KindLinks;
  readonly check: (manifest: z.output<Schema>) => readonly KindProblem[];
}

// biome-ignore lint/suspicious/noExplicitAny: the widest kind, used only as a constraint.
export type AnyKindDefinition = KindDefinition<string, any>;

/** The manifest type a kind validates. */
export type ManifestOf<K extends AnyKindDefinition> = z.output<K["schema"]>;

/** The manifest type an author writes for a kind (before defaults). */
export type ManifestInputOf<K extends AnyKindDefinition> = z.input<K["schema"]>;

export interface KindOptions<Name extends string, Fields extends z.core.$ZodLooseShape> {
  /** snake_case kind name, the value of the manifest's `kind` field. */
  readonly name: Name;
  /** Anchored pattern every id of this kind matches. */
  readonly idPattern: RegExp;
  readonly idConvention: string;
  /** Fields added to (or tightening) the base fields. */
  readonly fields: Fields;
  readonly links?: (manifest: z.output<KindSchema<Name, Fields>>) => KindLinks;
  readonly check?: (manifest: z.output<KindSchema<Name, Fields>>) => readonly KindProblem[];
}

const noLinks = (): KindLinks => ({});
const noProblems = (): readonly KindProblem[] => [];

/**
 * Defines a manifest kind. The built-in kinds are defined with this function; a host adds
 * its own the same way and passes them to `createKindSet`.
 *
 * @example
 * const faxProvider = defineKind({
 *   name: "fax_provider",
 *   idPattern: /^fax\.[a-z][a-z0-9-]*$/,
 *   idConvention: "fax.<vendor>",
 *   fields: { pagesPerMinute: z.int().min(1) },
 * });
 */
export function defineKind<const Name extends string, const Fields extends z.core.$ZodLooseShape>(
  options: KindOptions<Name, Fields>,
): KindDefinition<Name, KindSchema<Name, Fields>> {
  if (!SNAKE_CASE.test(options.name)) {
    throw new PlugboardError(
      "PLUGBOARD_KIND_INVALID",
      `kind name "${options.name}" must be snake_case, such as fax_provider`,
    );
  }
  if (!options.idPattern.source.startsWith("^") || !options.idPattern.source.endsWith("$")) {
    throw new PlugboardError(
      "PLUGBOARD_KIND_INVALID",
      `idPattern of kind "${options.name}" must be anchored with ^ and $`,
    );
  }
  for (const reserved of ["kind", "id"]) {
    if (Object.hasOwn(options.fields, reserved)) {
      throw new PlugboardError(
        "PLUGBOARD_KIND_INVALID",
        `fields of kind "${options.name}" must not declare "${reserved}"; it is set by defineKind`,
      );
    }
  }
  const shape = {
    ...baseFields,
    kind: z.literal(options.name),
    id: z.string().regex(options.idPattern, {
      error: `expected an id of the form ${options.idConvention}`,
    }),
    ...options.fields,
  };
  // The spread above is exactly KindShape (later keys win); TypeScript cannot prove a spread
  // of a generic shape equal to its Omit-and-intersect description.
  const schema = z.strictObject(shape) as unknown as KindSchema<Name, Fields>;
  return {
    name: options.name,
    idPattern: options.idPattern,
    idConvention: options.idConvention,
    schema,
    links: options.links ?? noLinks,
    check: options.check ?? noProblems,
  };
}
