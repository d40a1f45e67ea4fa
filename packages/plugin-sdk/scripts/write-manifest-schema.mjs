// Writes dist/manifest.schema.json from the built package, so the published JSON Schema is
// generated from the same zod schemas that validateManifest uses.
import { writeFileSync } from "node:fs";
import { toManifestJsonSchema } from "../dist/index.js";

const target = new URL("../dist/manifest.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(toManifestJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
