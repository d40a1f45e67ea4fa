import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverPlugins } from "./discover-plugins.js";
import { answeringSource, moduleHook } from "./testing/lifecycle-fixtures.js";

let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "plugboard-discovery-"));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** A plugin package: package.json pointing at `manifest.json`, and the bundle. */
async function pluginPackage(
  dir: string,
  id: string,
  options: { readonly manifest?: Record<string, unknown>; readonly name?: string } = {},
): Promise<void> {
  const manifest = { ...moduleHook(id), ...options.manifest };
  await write(
    join(dir, "package.json"),
    JSON.stringify({ name: options.name ?? id, plugboard: { manifest: "manifest.json" } }),
  );
  await write(join(dir, "manifest.json"), JSON.stringify(manifest));
  await write(join(dir, "dist/plugin.js"), answeringSource(id, "1.0.0"));
}

describe("discoverPlugins", () => {
  it("finds plugins among a directory's children, by package.json field or root manifest file", async () => {
    await pluginPackage(join(base, "answer"), "hook.answer");
    await write(
      join(base, "bare/plugboard.manifest.json"),
      JSON.stringify(moduleHook("hook.bare")),
    );
    await write(join(base, "bare/dist/plugin.js"), answeringSource("hook.bare", "1.0.0"));
    await write(join(base, "notes/README.md"), "not a plugin");
    const { plugins, problems } = await discoverPlugins([base]);
    expect(problems).toEqual([]);
    expect(plugins.map((plugin) => plugin.spec.manifest.id)).toEqual(["hook.answer", "hook.bare"]);
    const [answer] = plugins;
    expect(answer?.dir).toBe(join(base, "answer"));
    expect(answer?.entryFile.endsWith(join("answer", "dist", "plugin.js"))).toBe(true);
    expect(answer?.spec.source).toBe(answeringSource("hook.answer", "1.0.0"));
    expect(answer?.spec.key).toMatch(/^hook\.answer@1\.0\.0#[0-9a-f]{16}$/);
  });

  it("reads a directory that is itself a plugin", async () => {
    await pluginPackage(base, "hook.answer");
    const { plugins } = await discoverPlugins([base]);
    expect(plugins.map((plugin) => plugin.dir)).toEqual([base]);
  });

  it("changes the key when the bundle changes", async () => {
    await pluginPackage(base, "hook.answer");
    const before = (await discoverPlugins([base])).plugins[0]?.spec.key;
    await write(join(base, "dist/plugin.js"), `${answeringSource("hook.answer", "1.0.0")}\n// v2`);
    const after = (await discoverPlugins([base])).plugins[0]?.spec.key;
    expect(after).not.toBe(before);
  });

  it("finds packages in node_modules, scoped ones too, only by their plugboard field", async () => {
    await pluginPackage(join(base, "node_modules/@acme/answer"), "hook.acme", {
      name: "@acme/answer",
    });
    await pluginPackage(join(base, "node_modules/plain"), "hook.plain");
    await write(join(base, "node_modules/left-pad/package.json"), JSON.stringify({ name: "x" }));
    await write(
      join(base, "node_modules/loose/plugboard.manifest.json"),
      JSON.stringify(moduleHook("hook.loose")),
    );
    const { plugins, problems } = await discoverPlugins([base]);
    expect(problems).toEqual([]);
    expect(plugins.map((plugin) => plugin.spec.manifest.id).sort()).toEqual([
      "hook.acme",
      "hook.plain",
    ]);
  });

  it("reports a package whose manifest is missing, and goes on with the others", async () => {
    await pluginPackage(join(base, "good"), "hook.good");
    await write(
      join(base, "lost/package.json"),
      JSON.stringify({ plugboard: { manifest: "m.json" } }),
    );
    const { plugins, problems } = await discoverPlugins([base]);
    expect(plugins.map((plugin) => plugin.spec.manifest.id)).toEqual(["hook.good"]);
    expect(problems).toMatchObject([
      { dir: join(base, "lost"), code: "manifest_missing", message: '"m.json" does not exist' },
    ]);
  });

  it("reports a manifest that is not JSON, and a package.json with a bad plugboard field", async () => {
    await write(join(base, "garbled/plugboard.manifest.json"), "{ kind: hook");
    await write(join(base, "odd/package.json"), JSON.stringify({ plugboard: { manifest: 3 } }));
    const { problems } = await discoverPlugins([base]);
    expect(problems.map((problem) => problem.code)).toEqual([
      "manifest_not_json",
      "package_invalid",
    ]);
    expect(problems[1]?.message).toContain("field plugboard.manifest");
  });

  it("reports a manifest that cannot be run with its field paths", async () => {
    await pluginPackage(base, "hook.next", { manifest: { engines: { plugboard: "^2.0.0" } } });
    const { problems } = await discoverPlugins([base]);
    expect(problems).toMatchObject([
      { code: "invalid_plugin", issues: [{ path: "engines.plugboard" }] },
    ]);
  });

  it("refuses a manifest path and an entry that leave the plugin's directory", async () => {
    await write(join(base, "shared.json"), JSON.stringify(moduleHook("hook.shared")));
    await write(
      join(base, "up/package.json"),
      JSON.stringify({ plugboard: { manifest: "../shared.json" } }),
    );
    await pluginPackage(join(base, "out"), "hook.out", {
      manifest: { runtime: { type: "module", entry: "../escape.js" } },
    });
    const { plugins, problems } = await discoverPlugins([base]);
    expect(plugins).toEqual([]);
    expect(problems).toMatchObject([
      { dir: join(base, "out"), code: "invalid_plugin", issues: [{ path: "runtime.entry" }] },
      { dir: join(base, "up"), code: "path_outside_plugin" },
    ]);
  });

  it("refuses a bundle that is a symbolic link to a file outside the directory", async () => {
    const outside = join(base, "outside.js");
    await write(outside, answeringSource("hook.link", "1.0.0"));
    const dir = join(base, "plugins/link");
    await pluginPackage(dir, "hook.link");
    await rm(join(dir, "dist/plugin.js"));
    await symlink(outside, join(dir, "dist/plugin.js"));
    const { plugins, problems } = await discoverPlugins([join(base, "plugins")]);
    expect(plugins).toEqual([]);
    expect(problems).toMatchObject([
      {
        code: "path_outside_plugin",
        message: '"dist/plugin.js" is a symbolic link to a file outside the plugin\'s directory',
      },
    ]);
  });

  it("follows a symbolic link that stays inside the directory", async () => {
    await pluginPackage(base, "hook.link");
    await write(join(base, "build/plugin.js"), answeringSource("hook.link", "1.0.0"));
    await rm(join(base, "dist/plugin.js"));
    await symlink(join(base, "build/plugin.js"), join(base, "dist/plugin.js"));
    const { plugins } = await discoverPlugins([base]);
    expect(plugins.map((plugin) => plugin.entryFile)).toEqual([
      expect.stringMatching(/build[/\\]plugin\.js$/),
    ]);
  });

  it("refuses a bundle over the size cap", async () => {
    await pluginPackage(base, "hook.big");
    const { problems } = await discoverPlugins([base], { maxBundleBytes: 100 });
    expect(problems).toMatchObject([
      { code: "file_too_large", file: expect.stringMatching(/plugin\.js$/) },
    ]);
  });

  it("reports a directory that does not exist, and a second plugin with the same id", async () => {
    await pluginPackage(join(base, "a"), "hook.twice");
    await pluginPackage(join(base, "b"), "hook.twice");
    const { plugins, problems } = await discoverPlugins([base, join(base, "missing")]);
    expect(plugins.map((plugin) => plugin.dir)).toEqual([join(base, "a")]);
    expect(problems).toMatchObject([
      { dir: join(base, "b"), code: "duplicate_plugin" },
      { dir: join(base, "missing"), code: "directory_unreadable" },
    ]);
  });
});
