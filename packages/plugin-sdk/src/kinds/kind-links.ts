import type { LinkVocabulary, ManifestLink } from "./define-kind.js";

/** Links for every entry of a list field: `listLinks("route_kind", m.x, "x")`. */
export function listLinks(
  vocabulary: LinkVocabulary,
  values: readonly string[],
  field: string,
): ManifestLink[] {
  return values.map((value, index) => ({ vocabulary, value, path: `${field}[${index}]` }));
}
