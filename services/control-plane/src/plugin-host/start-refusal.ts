import type { PluginManifest } from "@plugboard/plugin-sdk";
import type { PluginInstance, SwapFailure } from "@plugboard/runtime";
import { ApiError } from "../http/problem-handler.js";

/** Why the new instance (or native setup) of a changed plugin did not start. */
export type StartRefusal = Pick<SwapFailure, "pluginId" | "key" | "code" | "message" | "issues">;

/**
 * The answer to a change whose plugin did not start: `PLUGBOARD_PLUGIN_START_FAILED`,
 * naming the plugin, the failure's code and message, and what keeps running. The first
 * error is at the request field that brought the change (`bundle`, `config`, `id`); a
 * manifest the lifecycle manager refused adds one error per problem, at its manifest path.
 */
export function startRefusal(
  target: { readonly pluginId: string; readonly path: string },
  refusal: StartRefusal,
  running: PluginInstance<PluginManifest> | undefined,
): ApiError {
  const kept =
    running === undefined
      ? "nothing was stored"
      : `nothing was stored and ${running.version} keeps running`;
  const detail = `${target.pluginId} did not start (${refusal.code}: ${refusal.message}); ${kept}`;
  return new ApiError("PLUGBOARD_PLUGIN_START_FAILED", detail, [
    { path: target.path, code: refusal.code, message: refusal.message },
    ...refusal.issues.map((issue) => ({
      path: issue.path === "" ? "manifest" : `manifest.${issue.path}`,
      code: issue.code,
      message: issue.message,
    })),
  ]);
}
