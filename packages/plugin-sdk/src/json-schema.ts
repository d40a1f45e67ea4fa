import { z } from "zod";
import type { AnyKindDefinition } from "./kinds/define-kind.js";
import { builtInKindSet, type KindSet } from "./kinds/kind-set.js";

/** Where the published manifest JSON Schema lives inside the package. */
export const MANIFEST_SCHEMA_ID = "https://plugboard.dev/schemas/manifest.schema.json";

/**
 * The JSON Schema (draft 2020-12) of every manifest kind in the set, generated from the
 * same zod schemas `validateManifest` uses. Shape rules only: the cross-field and
 * cross-manifest rules belong to `checkRegistry`.
 */
export function toManifestJsonSchema(
  kinds: KindSet<AnyKindDefinition> = builtInKindSet,
): Record<string, unknown> {
  const [first, ...rest] = kinds.kinds.map((kind) => kind.schema);
  if (first === undefined) throw new TypeError("a kind set has at least one kind");
  const union = rest.length === 0 ? first : z.union([first, ...rest]);
  const schema = z.toJSONSchema(union, { target: "draft-2020-12", io: "input", reused: "ref" });
  return {
    ...schema,
    $id: MANIFEST_SCHEMA_ID,
    title: "Plugboard plugin manifest",
    description: `A manifest of one of the kinds: ${kinds.names.join(", ")}.`,
  };
}
