import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  type ActionExecutorManifest,
  type ChannelManifest,
  type ConnectionProviderManifest,
  type ConnectorManifest,
  type HookManifest,
  type IngressAdapterManifest,
  PLUGIN_KINDS,
  type PluginKind,
  type PluginManifest,
  type RuleOperatorManifest,
  type WorkerPackManifest,
} from "@plugboard/plugin-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { firstPartyManifests } from "./first-party-manifests.js";
import {
  actionExecutorPlugins,
  channelPlugins,
  connectionProviderPlugins,
  connectorPlugins,
  hookPlugins,
  ingressAdapterPlugins,
  ruleOperatorPlugins,
  workerPackPlugins,
} from "./plugins-by-kind.js";

const listsByKind: Record<PluginKind, readonly PluginManifest[]> = {
  connection_provider: connectionProviderPlugins,
  ingress_adapter: ingressAdapterPlugins,
  action_executor: actionExecutorPlugins,
  worker_pack: workerPackPlugins,
  channel: channelPlugins,
  connector: connectorPlugins,
  rule_operator: ruleOperatorPlugins,
  hook: hookPlugins,
};

const foldersByKind: Record<PluginKind, string> = {
  connection_provider: "connection-providers",
  ingress_adapter: "ingress-adapters",
  action_executor: "action-executors",
  worker_pack: "worker-packs",
  channel: "channels",
  connector: "connectors",
  rule_operator: "rule-operators",
  hook: "hooks",
};

describe("per-kind lists", () => {
  it("put every manifest in exactly one list, the one of its kind", () => {
    for (const manifest of firstPartyManifests) {
      const holders = PLUGIN_KINDS.filter((kind) => listsByKind[kind].includes(manifest));
      expect(holders, manifest.id).toEqual([manifest.kind]);
    }
  });

  it("hold only manifests of their own kind", () => {
    for (const kind of PLUGIN_KINDS) {
      for (const manifest of listsByKind[kind]) expect(manifest.kind, manifest.id).toBe(kind);
    }
  });

  it("add up to firstPartyManifests, with nothing listed twice", () => {
    const listed = PLUGIN_KINDS.flatMap((kind) => listsByKind[kind]);
    expect(listed.length).toBe(firstPartyManifests.length);
    expect(new Set(listed)).toEqual(new Set(firstPartyManifests));
  });

  it("have at least one manifest of every built-in kind", () => {
    for (const kind of PLUGIN_KINDS) expect(listsByKind[kind].length, kind).toBeGreaterThan(0);
  });

  it("keep the manifest type of their kind", () => {
    expectTypeOf(connectionProviderPlugins).toEqualTypeOf<readonly ConnectionProviderManifest[]>();
    expectTypeOf(ingressAdapterPlugins).toEqualTypeOf<readonly IngressAdapterManifest[]>();
    expectTypeOf(actionExecutorPlugins).toEqualTypeOf<readonly ActionExecutorManifest[]>();
    expectTypeOf(workerPackPlugins).toEqualTypeOf<readonly WorkerPackManifest[]>();
    expectTypeOf(channelPlugins).toEqualTypeOf<readonly ChannelManifest[]>();
    expectTypeOf(connectorPlugins).toEqualTypeOf<readonly ConnectorManifest[]>();
    expectTypeOf(ruleOperatorPlugins).toEqualTypeOf<readonly RuleOperatorManifest[]>();
    expectTypeOf(hookPlugins).toEqualTypeOf<readonly HookManifest[]>();
    expectTypeOf(workerPackPlugins[0]).toEqualTypeOf<WorkerPackManifest | undefined>();
  });
});

describe("manifest files", () => {
  const known = new Set<unknown>(firstPartyManifests);

  it.each(PLUGIN_KINDS.map((kind) => [foldersByKind[kind], kind] as const))(
    "each file in %s exports one listed manifest of kind %s",
    async (folder, kind) => {
      const directory = new URL(`./${folder}/`, import.meta.url);
      const files = readdirSync(directory).filter(
        (file) => file.endsWith(".ts") && !file.endsWith(".test.ts"),
      );
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const module: Record<string, unknown> = await import(
          pathToFileURL(new URL(file, directory).pathname).href
        );
        const exported = Object.values(module);
        expect(exported.length, file).toBe(1);
        const manifest = firstPartyManifests.find((candidate) => candidate === exported[0]);
        expect(known.has(exported[0]), `${folder}/${file} is not in firstPartyManifests`).toBe(
          true,
        );
        expect(manifest?.kind, file).toBe(kind);
        expect(listsByKind[kind]).toContain(manifest);
      }
    },
  );
});
