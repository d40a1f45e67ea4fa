/**
 * What the bundle needs of `@plugboard/plugin-sdk` at run time. The build points the SDK's
 * import here (`--alias`): the real `defineManifest` validates with the SDK's zod schemas as
 * the module loads, which brings about 880 kB into the bundle and takes 40-50 ms of CPU
 * to evaluate, against the sandbox's default limit of 50 ms. The check adds nothing
 * there, since the host validates the manifest at install, and `scripts/write-manifest.mjs`
 * runs the real `defineManifest` at build time. Types still come from the SDK; importing
 * anything else from it at run time fails the build, naming the import.
 */
export function defineManifest<const M>(manifest: M): M {
  return manifest;
}

export function definePlugin<const D>(definition: D): D {
  return definition;
}
