import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROUTES, SCOPES } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { buildControlPlane, type ControlPlane } from "./server.js";

const DOCS = new URL("../../../docs/", import.meta.url);
const PAGES = readdirSync(DOCS).filter((name) => name.endsWith(".md"));
const read = (page: string) => readFileSync(new URL(page, DOCS), "utf8");

/** A route a page names: `GET /v1/jobs/{id}` in its text, or a `curl` command. */
interface Mention {
  readonly where: string;
  readonly method: string;
  readonly path: string;
}

const METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS";
// A path runs to a space, quote, backtick, bracket or comma; a `<plugin id>` segment may hold spaces.
const PATH = String.raw`(?:/(?:<[^>\n]+>|[^\s\x60"'(),;</]+)?)+`;
const TEXT_MENTION = new RegExp(String.raw`\b(${METHODS})\s+(${PATH})`, "g");
const CURL_URL = new RegExp(String.raw`\$(?:PB|PLUGBOARD)(${PATH})`);

/** The path without its query, fragment or a sentence's last full stop. */
function pathOnly(path: string): string {
  return path.replace(/[?#].*$/, "").replace(/[.:]+$/, "");
}

/** Every `curl` command of a page, continuation lines joined, with the line it starts on. */
function curlCommands(text: string): { line: number; command: string }[] {
  const commands: { line: number; command: string }[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^\s*curl\b/.test(lines[index] ?? "")) continue;
    const start = index;
    let command = lines[index] ?? "";
    while (command.endsWith("\\") && index + 1 < lines.length) {
      index += 1;
      command = `${command.slice(0, -1)} ${lines[index] ?? ""}`;
    }
    commands.push({ line: start + 1, command });
  }
  return commands;
}

function mentionsIn(page: string, text: string): Mention[] {
  const mentions: Mention[] = [];
  text.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(TEXT_MENTION)) {
      const [, method = "", path = ""] = match;
      // `{{ input.jobId }}` is a manifest's template of a provider's URL, not a route here.
      if (path.includes("{{")) continue;
      mentions.push({ where: `${page}:${index + 1}`, method, path: pathOnly(path) });
    }
  });
  for (const { line, command } of curlCommands(text)) {
    const url = CURL_URL.exec(command)?.[1];
    if (url === undefined) continue;
    const method =
      /\s-X\s+([A-Z]+)/.exec(command)?.[1] ?? (/\s-d\s/.test(command) ? "POST" : "GET");
    mentions.push({ where: `${page}:${line}`, method, path: pathOnly(url) });
  }
  return mentions;
}

/** A segment a page writes as a placeholder: `{id}`, `<job id>`, `$ACTION`, `:id`. */
const isPlaceholder = (segment: string) => /^(?:\{[^}]+\}|<[^>]+>|\$\w+|:\w+)$/.test(segment);

/** Whether a page's path is a route's path: placeholders only where the route has one. */
function matchesRoute(path: string, routePath: string): boolean {
  const segments = path.split("/");
  const routeSegments = routePath.split("/");
  if (segments.length !== routeSegments.length) return false;
  return segments.every((segment, index) => {
    const routeSegment = routeSegments[index] ?? "";
    if (isPlaceholder(routeSegment)) return segment !== "";
    return !isPlaceholder(segment) && segment === routeSegment;
  });
}

/**
 * hooks.md shows the request line a hook sees for work that arrives by no HTTP request
 * (`POST /routes/<route kind>`, `POST /actions/<kind>`): they describe hook input, not routes.
 */
const mentionsOf = (page: string) => mentionsIn(page, read(page));

const isHookView = (mention: Mention) =>
  mention.where.startsWith("hooks.md:") && /^\/(?:routes|actions)\//.test(mention.path);

describe("the routes the docs name", () => {
  let dataDir: string;
  let plane: ControlPlane;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "plugboard-docs-routes-"));
    plane = await buildControlPlane(
      loadConfig({
        PLUGBOARD_DATA_DIR: dataDir,
        PLUGBOARD_ADMIN_TOKEN: "docs-routes-admin-token-0123456789",
        PLUGBOARD_ACTION_EXECUTOR: "off",
        LOG_LEVEL: "silent",
      }),
    );
  });
  afterAll(async () => {
    await plane.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Whether the server routes a path outside `/v1` (a webhook, health, metrics). */
  async function served(mention: Mention): Promise<boolean> {
    const url = mention.path
      .split("/")
      .map((segment) => (isPlaceholder(segment) ? "placeholder" : segment))
      .join("/");
    const response = await plane.app.inject({ method: mention.method, url });
    if (response.statusCode !== 404) return true;
    const body: unknown = response.json();
    const detail =
      typeof body === "object" && body !== null && "detail" in body ? body.detail : undefined;
    return !(typeof detail === "string" && detail.startsWith("no route "));
  }

  it("finds route mentions in the operator and author pages", () => {
    const found = PAGES.flatMap(mentionsOf);
    for (const page of ["scenarios.md", "http-runtime.md", "operating-the-control-plane.md"]) {
      expect(
        found.some((mention) => mention.where.startsWith(`${page}:`)),
        page,
      ).toBe(true);
    }
    expect(found).toContainEqual(
      expect.objectContaining({ method: "POST", path: "/v1/jobs/<job id>/refresh" }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ method: "POST", path: "/webhooks/ingress.postmark.forward-email" }),
    );
  });

  /** The mentions that name no route, as `page:line: METHOD /path`. */
  async function unknownRoutes(mentions: readonly Mention[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const mention of mentions) {
      if (isHookView(mention)) continue;
      const known = mention.path.startsWith("/v1/")
        ? ROUTES.some(
            (route) => route.method === mention.method && matchesRoute(mention.path, route.path),
          )
        : await served(mention);
      if (!known) unknown.push(`${mention.where}: ${mention.method} ${mention.path}`);
    }
    return unknown;
  }

  it("names only routes the route table declares or the server mounts", async () => {
    expect(await unknownRoutes(PAGES.flatMap(mentionsOf))).toEqual([]);
  });

  it("catches a page that names a route no one serves", async () => {
    const page = [
      "Cancel it with `POST /v1/jobs/{id}/cancel`, or check `GET /v1/jobs/{id}`.",
      "```sh",
      'curl -X DELETE "$PB/v1/jobs/<job id>" \\',
      '  -H "authorization: Bearer $TOKEN"',
      'curl "$PB/status?verbose=1"',
      'curl "$PB/health"',
      "```",
    ].join("\n");
    expect(await unknownRoutes(mentionsIn("made-up.md", page))).toEqual([
      "made-up.md:1: POST /v1/jobs/{id}/cancel",
      "made-up.md:3: DELETE /v1/jobs/<job id>",
      "made-up.md:5: GET /status",
    ]);
  });

  it("tells a route that does not exist from one that does", async () => {
    const route = (method: string, path: string) => ({ where: "test", method, path });
    expect(matchesRoute("/v1/jobs/<job id>/refresh", "/v1/jobs/{id}/refresh")).toBe(true);
    expect(matchesRoute("/v1/jobs/{id}/retry", "/v1/jobs/{id}/refresh")).toBe(false);
    expect(matchesRoute("/v1/{kind}/abc", "/v1/jobs/{id}")).toBe(false);
    expect(await served(route("GET", "/health"))).toBe(true);
    expect(await served(route("POST", "/webhooks/{pluginId}"))).toBe(true);
    expect(await served(route("DELETE", "/webhooks/{pluginId}"))).toBe(false);
    expect(await served(route("GET", "/status"))).toBe(false);
  });
});

describe("the scopes in operating-the-control-plane.md", () => {
  const page = read("operating-the-control-plane.md");
  const start = page.indexOf("\n## Tokens and scopes\n");
  const section = page.slice(start, page.indexOf("\n## ", start + 1));

  it("lists every scope in its table, in order", () => {
    const scopes = [...section.matchAll(/^\| `([a-z:]+)`/gm)].map((match) => match[1]);
    expect(scopes).toEqual([...SCOPES]);
  });

  it("lists each scope's routes exactly as the route table declares them", () => {
    // Each `- \`scope\`: …` item, with its continuation lines.
    const items = new Map<string, string[]>();
    for (const item of section.split(/\n(?=- `)/).slice(1)) {
      // An item ends at the first blank line.
      const scope = /^- `([a-z:]+)`:/.exec(item)?.[1] ?? "";
      const routes = [
        ...(item.split("\n\n")[0] ?? "").matchAll(new RegExp(`\`(${METHODS}) ([^\`]+)\``, "g")),
      ];
      items.set(
        scope,
        routes.map(([, method, path]) => `${method} ${path}`),
      );
    }
    for (const scope of SCOPES) {
      const declared = ROUTES.filter((route) => route.scope === scope).map(
        (route) => `${route.method} ${route.path}`,
      );
      expect(items.get(scope)?.sort(), scope).toEqual(declared.sort());
    }
    expect([...items.keys()]).toEqual([...SCOPES]);
  });
});
