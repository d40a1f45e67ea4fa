import type { ManifestIssue } from "@plugboard/plugin-sdk";

/**
 * Every way the lifecycle manager refuses or fails, declared once: the HTTP status a host
 * should answer with and a title. Calls that reach the sandbox fail with the sandbox's own
 * `SandboxError` codes; these are the manager's, and discovery's problems use them too.
 */
export const LIFECYCLE_ERRORS = {
  invalid_plugin: {
    status: 422,
    title: "The plugin's manifest or spec cannot be run",
  },
  invalid_settings: { status: 500, title: "Lifecycle settings are invalid" },
  create_failed: { status: 500, title: "The host could not create the plugin's sandbox" },
  probe_failed: { status: 503, title: "The plugin's health probe failed" },
  unavailable: { status: 503, title: "The plugin is not running" },
  stopped: { status: 503, title: "The plugin instance was stopped" },
  duplicate_plugin: { status: 422, title: "Two specs in one swap have the same plugin id" },
  rollback_unavailable: { status: 409, title: "There is no generation to roll back to" },
  closed: { status: 503, title: "The plugin set was closed" },
  package_invalid: { status: 422, title: "The plugin package's package.json is invalid" },
  manifest_missing: { status: 422, title: "The plugin's manifest file is missing" },
  manifest_not_json: { status: 422, title: "The plugin's manifest file is not JSON" },
  bundle_missing: { status: 422, title: "The plugin's bundle file is missing" },
  path_outside_plugin: {
    status: 422,
    title: "A file of the plugin lies outside its directory",
  },
  file_too_large: { status: 413, title: "A file of the plugin is over the size cap" },
  directory_unreadable: { status: 500, title: "A plugin directory could not be read" },
} as const;

export type LifecycleErrorCode = keyof typeof LIFECYCLE_ERRORS;

/** A refusal or failure of the lifecycle manager; `code` is stable, `message` is for people. */
export class LifecycleError extends Error {
  readonly code: LifecycleErrorCode;
  readonly status: number;
  /** The plugin concerned; empty when the error is about the set as a whole. */
  readonly pluginId: string;
  /** For `invalid_plugin`: each problem with its field path (`engines.plugboard`). */
  readonly issues: readonly ManifestIssue[];

  constructor(
    code: LifecycleErrorCode,
    pluginId: string,
    message: string,
    options: ErrorOptions & { readonly issues?: readonly ManifestIssue[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LifecycleError";
    this.code = code;
    this.status = LIFECYCLE_ERRORS[code].status;
    this.pluginId = pluginId;
    this.issues = options.issues ?? [];
  }
}
