import type { JsonValue, PluginLogger } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import { type ContextScope, typeName } from "./context-scope.js";
import type { PluginLogRecord } from "./context-services.js";
import { copyJson } from "./json-copy.js";
import { cachedSecretRedactor } from "./redact-secrets.js";

type Level = PluginLogRecord["level"];

function logData(
  data: unknown,
  where: string,
  maxLength: number,
): Record<string, JsonValue> | undefined {
  if (data === undefined) return undefined;
  let copied: JsonValue;
  try {
    copied = copyJson(data, maxLength, `${where}: data`);
  } catch (error) {
    if (error instanceof ContextError && error.code === "limit_exceeded") {
      return { truncated: `the data was longer than ${maxLength} characters of JSON` };
    }
    throw error;
  }
  if (copied === null || typeof copied !== "object" || Array.isArray(copied)) {
    throw new ContextError(
      "invalid_argument",
      `${where}: data must be an object of JSON values, got ${typeName(data)}`,
    );
  }
  return copied;
}

/**
 * The plugin's logger: structured records tagged with the plugin's id and version, with
 * every secret value the host knows (and every field named like a secret) redacted, long
 * messages cut, and oversized data replaced by a note. A sink that throws loses the line,
 * not the plugin's call.
 */
export function createContextLogger(scope: ContextScope): PluginLogger {
  const { grants, limits, services } = scope;
  const redactorFor = cachedSecretRedactor();
  const write =
    (level: Level) =>
    (message: unknown, data?: unknown): void => {
      const where = `logger.${level}`;
      if (typeof message !== "string") {
        throw new ContextError(
          "invalid_argument",
          `${where}: the message must be a string, got ${typeName(message)}`,
        );
      }
      const fields = logData(data, where, limits.maxLogDataLength);
      const redactor = redactorFor([
        ...scope.injectedSecrets,
        ...(services.knownSecretValues?.() ?? []),
      ]);
      const text = redactor.text(message);
      const record: PluginLogRecord = {
        level,
        pluginId: grants.pluginId,
        pluginVersion: scope.version,
        message:
          text.length > limits.maxLogMessageLength
            ? `${text.slice(0, limits.maxLogMessageLength)}…`
            : text,
        ...(fields === undefined ? {} : { data: redactor.record(fields) }),
        time: new Date().toISOString(),
      };
      try {
        services.log(record);
      } catch {
        // The line is lost; the plugin's call is not.
      }
    };
  return Object.freeze({
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  });
}
