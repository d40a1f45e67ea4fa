import {
  CHANNEL_OPERATION_INPUTS,
  type HttpRenderResult,
  type Issue,
  safeParseWire,
} from "@plugboard/contracts";
import {
  formatPath,
  type HttpRuntime,
  type JsonValue,
  type PluginManifest,
  validateManifest,
} from "@plugboard/plugin-sdk";
import { createHttpRuntimeClient, HttpRuntimeError, httpRuntimeWarnings } from "@plugboard/runtime";
import type { Kysely } from "kysely";
import type { RouteHandlers } from "../http/mount-routes.js";
import { ApiError } from "../http/problem-handler.js";
import { currentConfig } from "../plugin-config/config-store.js";
import { effectiveConfig } from "../plugin-host/effective-config.js";
import { checkCandidate } from "../plugins/check-candidate.js";
import { joinPath } from "../plugins/registry-issues.js";
import type { RegistryCache } from "../registry/registry-cache.js";
import type { Schema } from "../store/schema.js";

function invalid(message: string, errors: readonly Issue[]): never {
  throw new ApiError("PLUGBOARD_VALIDATION_FAILED", message, errors);
}

/** The manifest's HTTP runtime, or the issue that it has none. */
function httpRuntimeOf(manifest: PluginManifest): HttpRuntime | Issue {
  const runtime = "runtime" in manifest ? manifest.runtime : undefined;
  if (runtime?.type === "http") return runtime;
  return {
    path: "runtime",
    code: "not_http_runtime",
    message: `expected a runtime of type "http"; this ${manifest.kind} has ${runtime === undefined ? "none" : `a ${runtime.type} runtime`}`,
  };
}

const isIssue = (value: HttpRuntime | Issue): value is Issue => "code" in value;

/**
 * What a render passes to templates as `input`. A channel's operations take their wire input
 * (`document_url`, `job_id`), checked and converted as a send converts it, so one body serves
 * both; any other operation's input is passed as it is given.
 */
function renderInput(
  manifest: PluginManifest,
  operation: string,
  given: Readonly<Record<string, JsonValue>>,
): Record<string, JsonValue> {
  const schema = Object.entries(CHANNEL_OPERATION_INPUTS).find(([name]) => name === operation)?.[1];
  if (manifest.kind !== "channel" || schema === undefined) return { ...given };
  const parsed = safeParseWire(schema, given);
  if (!parsed.success) {
    invalid(
      `the input of ${operation} is invalid`,
      parsed.error.issues.map((issue) => ({
        path: joinPath("input", issue.path.join(".")),
        code: issue.code,
        message: issue.message,
      })),
    );
  }
  const input: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value !== undefined) input[name] = value;
  }
  return input;
}

/** Whether a warning's path is the operation's or lies inside it; not another operation's. */
function isWithin(path: string, operationPath: string): boolean {
  return (
    path === operationPath ||
    path.startsWith(`${operationPath}.`) ||
    path.startsWith(`${operationPath}[`)
  );
}

/** Where a render gets its manifest and config: an installed plugin or the body. */
async function renderSubject(
  db: Kysely<Schema>,
  registry: RegistryCache,
  body: {
    pluginId?: string | undefined;
    manifest?: unknown;
    config?: Record<string, JsonValue> | undefined;
  },
): Promise<{ manifest: PluginManifest; stored: Readonly<Record<string, unknown>> | undefined }> {
  if ((body.pluginId === undefined) === (body.manifest === undefined)) {
    invalid("give either plugin_id or manifest", [
      {
        path: "plugin_id",
        code: "one_of",
        message: "expected exactly one of plugin_id and manifest",
      },
    ]);
  }
  if (body.pluginId !== undefined) {
    const entry = (await registry.entries()).find((candidate) => candidate.id === body.pluginId);
    if (entry === undefined) {
      throw new ApiError("PLUGBOARD_NOT_FOUND", `no plugin has id ${body.pluginId}`, [
        { path: "plugin_id", code: "not_found", message: `no plugin has id ${body.pluginId}` },
      ]);
    }
    const { installation: _installation, ...manifest } = entry;
    const stored = body.config ?? (await currentConfig(db, entry.id))?.config;
    return { manifest, stored };
  }
  const checked = await checkCandidate(body.manifest, await registry.entries());
  const result = validateManifest(body.manifest);
  if (!result.success || checked.issues.length > 0) {
    invalid(
      "the manifest is invalid",
      checked.issues.map((issue) => ({ ...issue, path: joinPath("manifest", issue.path) })),
    );
  }
  return { manifest: result.manifest, stored: body.config };
}

/**
 * POST /v1/plugins/http/validate and /render: check a declarative HTTP runtime, and show the
 * exact request one of its operations would send. Neither sends anything anywhere.
 */
export function httpRuntimeCheckHandlers(
  db: Kysely<Schema>,
  registry: RegistryCache,
): Pick<RouteHandlers, "validateHttpRuntime" | "renderHttpOperation"> {
  return {
    async validateHttpRuntime({ body }) {
      // The manifest's own issues, kind and egress rules included; not its references.
      const checked = await checkCandidate(body.manifest, await registry.entries());
      const result = validateManifest(body.manifest);
      if (!result.success || checked.issues.length > 0) {
        return { valid: false, issues: checked.issues, warnings: [] };
      }
      const runtime = httpRuntimeOf(result.manifest);
      if (isIssue(runtime)) return { valid: false, issues: [runtime], warnings: [] };
      return {
        valid: true,
        issues: [],
        warnings: httpRuntimeWarnings({ kind: result.manifest.kind, runtime }),
      };
    },

    async renderHttpOperation({ body }): Promise<HttpRenderResult> {
      const { manifest, stored } = await renderSubject(db, registry, body);
      const runtime = httpRuntimeOf(manifest);
      if (isIssue(runtime))
        invalid(`${manifest.id} has no HTTP runtime`, [{ ...runtime, path: "manifest.runtime" }]);
      const config = effectiveConfig(manifest.configSchema, stored);
      if (!config.valid) invalid(`the config of ${manifest.id} is invalid`, config.issues);
      const client = createHttpRuntimeClient({
        manifest: { id: manifest.id, runtime },
        config: config.config,
        // Masked renders never read a secret; nothing here can reveal one.
        secrets: async () => undefined,
        send: async () => {
          throw new Error("a render sends nothing");
        },
      });
      if (!client.operations.includes(body.operation)) {
        invalid(`${manifest.id} has no operation ${body.operation}`, [
          {
            path: "operation",
            code: "unknown_operation",
            message: `expected one of ${client.operations.join(", ")}`,
          },
        ]);
      }
      const input = renderInput(manifest, body.operation, body.input ?? {});
      const operationPath = formatPath(["runtime", "operations", body.operation]);
      try {
        const request = await client.render(body.operation, input, { maskSecrets: true });
        return {
          operation: body.operation,
          request: {
            method: request.method,
            url: request.url,
            headers: { ...request.headers },
            body: request.body ?? null,
            timeoutMs: request.timeoutMs ?? null,
          },
          warnings: httpRuntimeWarnings({ kind: manifest.kind, runtime }).filter((warning) =>
            isWithin(warning.path, operationPath),
          ),
        };
      } catch (error) {
        if (!(error instanceof HttpRuntimeError)) throw error;
        invalid(error.message, [
          { path: error.path ?? "input", code: error.code, message: error.message },
        ]);
      }
    },
  };
}
