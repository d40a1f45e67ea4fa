// Writes dist/plugboard.manifest.json from src/manifest.ts, so the manifest is written once,
// in TypeScript. esbuild compiles the module; importing it runs defineManifest, which
// validates the manifest and throws, naming every problem, when it is not valid.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const result = await build({
  entryPoints: ["src/manifest.ts"],
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  write: false,
  logLevel: "warning",
});
const [output] = result.outputFiles;
const { manifest } = await import(
  `data:text/javascript;base64,${Buffer.from(output.text).toString("base64")}`
);

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
if (manifest.version !== version) {
  throw new Error(`the manifest is version ${manifest.version} but package.json says ${version}`);
}
mkdirSync("dist", { recursive: true });
writeFileSync("dist/plugboard.manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
