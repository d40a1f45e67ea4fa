import { coldStartBenchmarks, coldStartSettings } from "./cold-start.bench.js";
import {
  registryThroughputBenchmarks,
  registryThroughputSettings,
} from "./registry-throughput.bench.js";

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/**
 * The control plane with 1,000 installed plugins on SQLite: registry and plugin-list
 * throughput against a bare Fastify route sending the same bytes, and start-up time against
 * the same start with no installed plugins. Targets: throughput ratio >= 0.7, start < 1.5 s.
 * Throughput ratios are the median over rounds of each round's subject / bare pair; the
 * figures are medians of the runs listed under `runs`.
 */
export async function controlPlaneBenchmarks() {
  // The default log level, as an operator runs it; the server's stdout goes to /dev/null.
  const logLevel = "info";
  const coldStart = await coldStartBenchmarks();
  const throughput = await registryThroughputBenchmarks(logLevel);
  const { inProcess, childProcess } = coldStart;
  const spawned = "skipped" in childProcess ? undefined : childProcess;

  const figures = {
    registryBodyBytes: throughput.registry.bodyBytes,
    registryRps: round(throughput.registry.subjectRps),
    registryBareRps: round(throughput.registry.bareRps),
    registryServerCpuMicrosPerRequest: round(throughput.registry.subjectCpuMicros),
    registryBareServerCpuMicrosPerRequest: round(throughput.registry.bareCpuMicros),
    pluginsBodyBytes: throughput.plugins.bodyBytes,
    pluginsRps: round(throughput.plugins.subjectRps),
    pluginsBareRps: round(throughput.plugins.bareRps),
    pluginsServerCpuMicrosPerRequest: round(throughput.plugins.subjectCpuMicros),
    pluginsBareServerCpuMicrosPerRequest: round(throughput.plugins.bareCpuMicros),
    buildToReadyMs: round(inProcess.full.readyMs),
    buildToReadyEmptyMs: round(inProcess.empty.readyMs),
    buildToFirstRegistryMs: round(inProcess.full.firstRegistryMs),
    buildToFirstRegistryEmptyMs: round(inProcess.empty.firstRegistryMs),
    ...(spawned === undefined
      ? {}
      : {
          spawnToReadyMs: round(spawned.full.readyMs),
          spawnToReadyEmptyMs: round(spawned.empty.readyMs),
          spawnToFirstRegistryMs: round(spawned.full.firstRegistryMs),
          spawnToFirstRegistryEmptyMs: round(spawned.empty.firstRegistryMs),
        }),
  };
  const ratios = {
    registryOverBare: round(throughput.registry.rpsRatio, 3),
    pluginsOverBare: round(throughput.plugins.rpsRatio, 3),
    registryOverBareByServerCpu: round(throughput.registry.cpuRatio, 3),
    pluginsOverBareByServerCpu: round(throughput.plugins.cpuRatio, 3),
    buildToReadyOverEmpty: round(inProcess.full.readyMs / inProcess.empty.readyMs, 3),
    buildToFirstRegistryOverEmpty: round(
      inProcess.full.firstRegistryMs / inProcess.empty.firstRegistryMs,
      3,
    ),
    ...(spawned === undefined
      ? {}
      : {
          spawnToReadyOverEmpty: round(spawned.full.readyMs / spawned.empty.readyMs, 3),
          spawnToFirstRegistryOverEmpty: round(
            spawned.full.firstRegistryMs / spawned.empty.firstRegistryMs,
            3,
          ),
        }),
  };
  const runs = {
    registryRps: throughput.registry.subject.map((run) => round(run.rps)),
    registryBareRps: throughput.registry.bare.map((run) => round(run.rps)),
    pluginsRps: throughput.plugins.subject.map((run) => round(run.rps)),
    pluginsBareRps: throughput.plugins.bare.map((run) => round(run.rps)),
    buildToReadyMs: inProcess.full.readyRuns,
    buildToReadyEmptyMs: inProcess.empty.readyRuns,
    ...(spawned === undefined
      ? { spawnSkipped: "skipped" in childProcess ? childProcess.skipped : "" }
      : { spawnToReadyMs: spawned.full.readyRuns, spawnToReadyEmptyMs: spawned.empty.readyRuns }),
  };
  const settings = {
    throughput: { ...registryThroughputSettings, logLevel },
    coldStart: {
      ...coldStartSettings,
      ...(spawned === undefined ? {} : { buildOlderThanSources: spawned.buildOlderThanSources }),
    },
  };

  console.log("figures (requests/s, bytes, ms):", figures);
  // ByServerCpu: bare / subject server CPU per request, the throughput ratio if the server's
  // CPU were the only limit; it moves far less than requests/s with other load on the cores.
  console.log("ratios (subject / bare route, or 1,000 installed / none installed):", ratios);
  console.log(
    `throughput with 1,000 installed plugins (target >= 0.7 of bare): registry ${ratios.registryOverBare}, plugins ${ratios.pluginsOverBare}`,
  );
  const startMs = spawned?.full.readyMs ?? inProcess.full.readyMs;
  const how =
    "skipped" in childProcess ? `in process; ${childProcess.skipped}` : "node dist/main.js";
  console.log(
    `start until /ready with 1,000 installed plugins (target < 1500 ms): ${startMs.toFixed(0)} ms (${how})`,
  );
  return { settings, figures, ratios, runs };
}
