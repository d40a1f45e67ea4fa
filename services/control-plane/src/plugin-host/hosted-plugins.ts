import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { ConfigValuesSchema } from "@plugboard/contracts";
import type { ConfigValue, HookManifest, PluginManifest } from "@plugboard/plugin-sdk";
import type { Kysely } from "kysely";
import { loadCatalog } from "../plugins/plugin-catalog.js";
import type { Schema } from "../store/schema.js";
import { effectiveConfig } from "./effective-config.js";
import { NATIVE_HOOK_PLUGINS } from "./native-hooks.js";

/** A plugin whose code runs in a sandbox: what to load, with what, under which key. */
export interface SandboxedPlugin {
  readonly manifest: PluginManifest;
  readonly source: string;
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** Changes with the version, bundle, config revision and permissions. */
  readonly key: string;
}

/** A first-party hook that runs in the control plane's process. */
export interface NativePlugin {
  readonly manifest: HookManifest;
  readonly config: Readonly<Record<string, ConfigValue>>;
}

/** What should run now, read from the database, and why the rest does not. */
export interface HostedPlugins {
  readonly sandboxed: readonly SandboxedPlugin[];
  readonly native: readonly NativePlugin[];
  /** Enabled plugins with code that cannot run, and why (config invalid, bundle missing). */
  readonly blocked: ReadonlyMap<string, string>;
  /**
   * Every enabled hook with code, running or not: a hook that should run but does not is
   * still a hook of its ring, so its fail mode applies (a fail-closed one stops traffic).
   */
  readonly hooks: readonly HookManifest[];
}

/** The newest config revision of every plugin that has one. */
async function configRevisions(db: Kysely<Schema>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("config_revisions")
    .select((eb) => ["plugin_id", eb.fn.max("revision").as("revision")])
    .groupBy("plugin_id")
    .execute();
  return new Map(rows.map((row) => [row.plugin_id, Number(row.revision)]));
}

async function configOf(db: Kysely<Schema>, pluginId: string, revision: number | undefined) {
  if (revision === undefined) return undefined;
  const row = await db
    .selectFrom("config_revisions")
    .select("config_json")
    .where("plugin_id", "=", pluginId)
    .where("revision", "=", revision)
    .executeTakeFirst();
  return row === undefined ? undefined : ConfigValuesSchema.parse(JSON.parse(row.config_json));
}

/** The bundle folder and integrity of each plugin's current version. */
async function currentBundles(db: Kysely<Schema>) {
  const rows = await db
    .selectFrom("plugin_versions as v")
    .innerJoin("plugins as p", (join) =>
      join.onRef("p.id", "=", "v.plugin_id").onRef("p.current_version", "=", "v.version"),
    )
    .select(["v.plugin_id", "v.bundle_dir", "v.integrity"])
    .execute();
  return new Map(rows.map((row) => [row.plugin_id, row]));
}

/** Reads a bundle's entry file, refusing a path that would leave the bundle folder. */
async function readEntry(dataDir: string, bundleDir: string, entry: string): Promise<string> {
  const root = resolve(dataDir, bundleDir);
  const file = resolve(root, entry);
  if (!file.startsWith(root + sep)) throw new Error(`${entry} is outside the plugin's bundle`);
  return readFile(file, "utf8");
}

/**
 * Reads which plugins should run: every enabled plugin with a module runtime and its bundle
 * (with its effective config), and every enabled first-party hook with native code.
 */
export async function loadHostedPlugins(
  db: Kysely<Schema>,
  dataDir: string,
): Promise<HostedPlugins> {
  const [catalog, revisions, bundles] = await Promise.all([
    loadCatalog(db),
    configRevisions(db),
    currentBundles(db),
  ]);
  const sandboxed: SandboxedPlugin[] = [];
  const native: NativePlugin[] = [];
  const blocked = new Map<string, string>();
  const hooks: HookManifest[] = [];
  for (const { manifest, enabled, source: origin } of catalog) {
    if (!enabled) continue;
    const isNative =
      manifest.kind === "hook" && origin === "first_party" && NATIVE_HOOK_PLUGINS.has(manifest.id);
    const runtime = "runtime" in manifest ? manifest.runtime : undefined;
    if (!isNative && runtime?.type !== "module") continue;
    if (manifest.kind === "hook") hooks.push(manifest);
    const revision = revisions.get(manifest.id);
    const config = effectiveConfig(
      manifest.configSchema,
      await configOf(db, manifest.id, revision),
    );
    if (!config.valid) {
      const first = config.issues[0];
      blocked.set(
        manifest.id,
        `its config is not valid (${first?.path}: ${first?.message}); set it with PUT /v1/plugins/${manifest.id}/config`,
      );
      continue;
    }
    if (isNative && manifest.kind === "hook") {
      native.push({ manifest, config: config.config });
      continue;
    }
    if (runtime?.type !== "module") continue;
    const bundle = bundles.get(manifest.id);
    if (bundle?.bundle_dir === null || bundle === undefined) {
      blocked.set(manifest.id, "it was installed without a bundle, so there is no code to run");
      continue;
    }
    let source: string;
    try {
      source = await readEntry(dataDir, bundle.bundle_dir, runtime.entry);
    } catch (error) {
      blocked.set(
        manifest.id,
        `its bundle cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    const grants = [...(manifest.permissions ?? [])].sort().join(",");
    sandboxed.push({
      manifest,
      source,
      config: config.config,
      key: `${manifest.version}#${bundle.integrity ?? "none"}#config:${revision ?? 0}#${grants}`,
    });
  }
  return { sandboxed, native, blocked, hooks };
}
