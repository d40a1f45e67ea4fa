import {
  BUILT_IN_KINDS,
  checkRegistry,
  createKindSet,
  defineKind,
  kindIdPattern,
  type ManifestInputOf,
  SecretKeySchema,
  toManifestJsonSchema,
  validateManifest,
} from "@plugboard/plugin-sdk";
import { z } from "zod";

/** A kind a host adds: fax gateways, with their own fields and one rule of their own. */
export const faxGatewayKind = defineKind({
  name: "fax_gateway",
  idPattern: kindIdPattern("fax-gateway", 1),
  idConvention: "fax-gateway.<vendor>",
  fields: {
    pagesPerMinute: z.int().min(1).max(600),
    coverPage: z.boolean().optional(),
    // Tightens a base field: optional on every kind, required here.
    secretKeys: z.array(SecretKeySchema).min(1),
  },
  check: (manifest) =>
    manifest.stability === "experimental" && manifest.pagesPerMinute > 60
      ? [
          {
            path: "pagesPerMinute",
            code: "rate_too_high",
            message: "an experimental gateway may send at most 60 pages per minute",
          },
        ]
      : [],
});

/** The kinds this host accepts: the eight built-in kinds and its own. */
export const hostKinds = createKindSet([...BUILT_IN_KINDS, faxGatewayKind]);

/** A manifest of the new kind, type-checked against the kind's schema. */
export const phaxlineGateway = {
  kind: "fax_gateway",
  id: "fax-gateway.phaxline",
  version: "1.0.0",
  displayName: "Phaxline gateway",
  description: "Sends faxes through the Phaxline API.",
  owner: "third_party",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  pagesPerMinute: 120,
  secretKeys: ["phaxline_api_key"],
} satisfies ManifestInputOf<typeof faxGatewayKind>;

/** Validation, the registry check and the JSON Schema all take the set. */
export function checkWithHostKinds() {
  return {
    validation: validateManifest(phaxlineGateway, { kinds: hostKinds }),
    registry: checkRegistry([phaxlineGateway], { kinds: hostKinds }),
    jsonSchema: toManifestJsonSchema(hostKinds),
  };
}
