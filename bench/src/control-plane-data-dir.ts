import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@plugboard/control-plane/src/config.ts";
import { buildControlPlane } from "@plugboard/control-plane/src/server.ts";
import { installedProviderManifests } from "./installed-provider-manifests.js";
import { seedInstalledPlugins } from "./seed-installed-plugins.js";

export const BENCH_ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

/** The environment a benchmarked control plane starts with (as `main.js` reads it). */
export function controlPlaneEnvironment(
  dataDir: string,
  logLevel: "info" | "silent",
): Record<string, string> {
  return {
    PLUGBOARD_DATA_DIR: dataDir,
    PLUGBOARD_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    LOG_LEVEL: logLevel,
    HOST: "127.0.0.1",
    PORT: "0",
  };
}

export interface BenchDataDir {
  readonly dataDir: string;
  readonly installedPlugins: number;
  remove(): void;
}

/**
 * A fresh SQLite data directory, created and migrated by one start of the control plane,
 * holding `installedPlugins` installed connection providers besides the first-party set.
 */
export async function prepareDataDir(installedPlugins: number): Promise<BenchDataDir> {
  const dataDir = mkdtempSync(join(tmpdir(), `plugboard-bench-${installedPlugins}-`));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const config = loadConfig(controlPlaneEnvironment(dataDir, "silent"));
    const { app } = await buildControlPlane(config);
    await app.close();
    if (installedPlugins > 0) {
      await seedInstalledPlugins(dataDir, installedProviderManifests(installedPlugins));
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dataDir, installedPlugins, remove };
}
