import type { JsonValue } from "@plugboard/plugin-sdk";
import { readJsonText } from "./json-text.js";
import { SandboxError, type SandboxErrorCode } from "./sandbox-errors.js";

/** The failures the isolate's own code reports; the host adds the rest (timeouts, crashes). */
const REPLY_FAILURE_KINDS = [
  "load_failed",
  "setup_failed",
  "no_handler",
  "plugin_error",
  "stack_overflow",
  "bad_return",
  "return_too_large",
  "crashed",
] as const satisfies readonly SandboxErrorCode[];

type ReplyFailureKind = (typeof REPLY_FAILURE_KINDS)[number];

function isFailureKind(value: JsonValue | undefined): value is ReplyFailureKind {
  return REPLY_FAILURE_KINDS.some((kind) => kind === value);
}

function optionalString(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** An error thrown by plugin code, as the host rebuilds it from the isolate's description. */
export class PluginCodeError extends Error {
  /** The `code` property of what the plugin threw, if it was a string. */
  readonly code: string | undefined;
  /** The plugin's stack, in the isolate (plugin file and lines only). */
  readonly pluginStack: string | undefined;

  constructor(name: string, message: string, code?: string, pluginStack?: string) {
    super(message);
    this.name = name;
    this.code = code;
    this.pluginStack = pluginStack;
  }
}

export type IsolateReply =
  | { readonly ok: true; readonly value: JsonValue | undefined }
  | { readonly ok: false; readonly error: SandboxError };

/**
 * Reads a reply the isolate returned or sent. A reply that is not what the bootstrap writes
 * means plugin code bent the bootstrap's built-ins; it is reported as `bad_return`. Only a
 * failure of the plugin's own code (`plugin_error`, `setup_failed`) carries what it threw as a
 * `PluginCodeError` cause, so a host can tell a plugin's refusal from a runaway or a bad value.
 */
export function readReply(text: unknown, maxLength: number, pluginId: string): IsolateReply {
  const json = readJsonText(text, maxLength + 1_024);
  if (!json.ok) return malformed(pluginId, json.message);
  const reply = json.value;
  if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
    return malformed(pluginId, "not an object");
  }
  if (reply.ok === true) return { ok: true, value: reply.value };
  const { kind, name, message } = reply;
  if (reply.ok !== false || !isFailureKind(kind)) return malformed(pluginId, "no outcome");
  if (typeof name !== "string" || typeof message !== "string") {
    return malformed(pluginId, "no error message");
  }
  if (kind !== "plugin_error" && kind !== "setup_failed") {
    return { ok: false, error: new SandboxError(kind, pluginId, message) };
  }
  const thrown = new PluginCodeError(
    name,
    message,
    optionalString(reply.code),
    optionalString(reply.stack),
  );
  return {
    ok: false,
    error: new SandboxError(kind, pluginId, `${name}: ${message}`, { cause: thrown }),
  };
}

function malformed(pluginId: string, why: string): IsolateReply {
  return {
    ok: false,
    error: new SandboxError("bad_return", pluginId, `the isolate sent a malformed reply (${why})`),
  };
}
