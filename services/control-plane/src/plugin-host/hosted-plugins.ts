import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";
import type { ConfigValues } from "@plugboard/contracts";
import type { ConfigValue, HookManifest, PluginManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { currentConfigs } from "../plugin-config/config-store.js";
import { type CatalogEntry, loadCatalog } from "../plugins/plugin-catalog.js";
import type { Schema } from "../store/schema.js";
import { effectiveConfig } from "./effective-config.js";
import { NATIVE_HOOK_PLUGINS } from "./native-hooks.js";

/** A plugin whose code runs in a sandbox: what to load, with what, under which key. */
export interface SandboxedPlugin {
  readonly manifest: PluginManifest;
  readonly source: string;
  readonly config: Readonly<Record<string, ConfigValue>>;
  /**
   * `<version>#<digest>`: the digest covers the code, the effective config and the granted
   * permissions, so the key changes exactly when what the instance would run changes.
   */
  readonly key: string;
}

/** A first-party hook that runs in the control plane's process. */
export interface NativePlugin {
  readonly manifest: HookManifest;
  readonly config: Readonly<Record<string, ConfigValue>>;
}

/** An enabled plugin with code that cannot run, and why. */
export interface BlockedPlugin {
  readonly manifest: PluginManifest;
  readonly reason: string;
}

/** What should run, as the database says, and why the rest does not. */
export interface HostedPlugins {
  readonly sandboxed: readonly SandboxedPlugin[];
  readonly native: readonly NativePlugin[];
  /** Enabled plugins with code that cannot run (config invalid, bundle missing). */
  readonly blocked: ReadonlyMap<string, BlockedPlugin>;
  /**
   * Every enabled hook with code, running or not: a hook that should run but does not is
   * still a hook of its ring, so its fail mode applies (a fail-closed one stops traffic).
   */
  readonly hooks: readonly HookManifest[];
}

/** The rows what should run is read from; read on one connection (a transaction, say). */
export interface HostedRows {
  readonly catalog: readonly CatalogEntry[];
  readonly configs: ReadonlyMap<string, ConfigValues>;
  /** The bundle folder of each installed plugin's current version. */
  readonly bundles: ReadonlyMap<string, string | null>;
}

/** Reads the rows `resolveHostedPlugins` needs; only `db` is used, so it may be a transaction. */
export async function readHostedRows(db: Kysely<Schema>): Promise<HostedRows> {
  const catalog = await loadCatalog(db);
  const configs = await currentConfigs(
    db,
    catalog.map((entry) => entry.manifest.id),
  );
  const rows = await db
    .selectFrom("plugin_versions as v")
    .innerJoin("plugins as p", (join) =>
      join.onRef("p.id", "=", "v.plugin_id").onRef("p.current_version", "=", "v.version"),
    )
    .select(["v.plugin_id", "v.bundle_dir"])
    .execute();
  return {
    catalog,
    configs,
    bundles: new Map(rows.map((row) => [row.plugin_id, row.bundle_dir])),
  };
}

/** Reads a bundle's entry file, refusing a path that would leave the bundle folder. */
async function readEntry(dataDir: string, bundleDir: string, entry: string): Promise<string> {
  const root = resolve(dataDir, bundleDir);
  const file = resolve(root, entry);
  if (!file.startsWith(root + sep)) throw new Error(`${entry} is outside the plugin's bundle`);
  return readFile(file, "utf8");
}

/** The config as one text whatever the order of its keys. */
export function canonicalConfig(config: Readonly<Record<string, ConfigValue>>): string {
  return JSON.stringify(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function keyOf(
  manifest: PluginManifest,
  source: string,
  config: Readonly<Record<string, ConfigValue>>,
): string {
  const grants = [...(manifest.permissions ?? [])].sort();
  const digest = createHash("sha256")
    .update(JSON.stringify([source, canonicalConfig(config), grants]))
    .digest("hex")
    .slice(0, 12);
  return `${manifest.version}#${digest}`;
}

/**
 * Which plugins should run: every enabled plugin with a module runtime and its bundle (with
 * its effective config), and every enabled first-party hook with native code.
 */
export async function resolveHostedPlugins(
  rows: HostedRows,
  dataDir: string,
): Promise<HostedPlugins> {
  const sandboxed: SandboxedPlugin[] = [];
  const native: NativePlugin[] = [];
  const blocked = new Map<string, BlockedPlugin>();
  const hooks: HookManifest[] = [];
  for (const { manifest, enabled, source: origin } of rows.catalog) {
    if (!enabled) continue;
    const isNative =
      manifest.kind === "hook" && origin === "first_party" && NATIVE_HOOK_PLUGINS.has(manifest.id);
    const runtime = "runtime" in manifest ? manifest.runtime : undefined;
    if (!isNative && runtime?.type !== "module") continue;
    if (manifest.kind === "hook") hooks.push(manifest);
    const block = (reason: string) => blocked.set(manifest.id, { manifest, reason });
    const config = effectiveConfig(manifest.configSchema, rows.configs.get(manifest.id));
    if (!config.valid) {
      const first = config.issues[0];
      block(
        `its config is not valid (${first?.path}: ${first?.message}); set it with PUT /v1/plugins/${manifest.id}/config`,
      );
      continue;
    }
    if (isNative && manifest.kind === "hook") {
      native.push({ manifest, config: config.config });
      continue;
    }
    if (runtime?.type !== "module") continue;
    const bundleDir = rows.bundles.get(manifest.id);
    if (bundleDir === null || bundleDir === undefined) {
      block("it was installed without a bundle, so there is no code to run");
      continue;
    }
    let source: string;
    try {
      source = await readEntry(dataDir, bundleDir, runtime.entry);
    } catch (error) {
      block(
        `its bundle cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    sandboxed.push({
      manifest,
      source,
      config: config.config,
      key: keyOf(manifest, source, config.config),
    });
  }
  return { sandboxed, native, blocked, hooks };
}
