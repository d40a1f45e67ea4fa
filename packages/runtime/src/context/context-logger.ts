import type { JsonValue, PluginLogger } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";
import { type ContextScope, typeName } from "./context-scope.js";
import type { PluginLogRecord } from "./context-services.js";
import { copyJson } from "./json-copy.js";
import { knownSecretValues } from "./known-secret-values.js";
import { cachedSecretRedactor } from "./redact-secrets.js";

type Level = PluginLogRecord["level"];

/** A line as the plugin wrote it, before redaction. */
interface Line {
  readonly level: Level;
  readonly message: string;
  readonly fields: Record<string, JsonValue> | undefined;
  readonly time: string;
}

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
 * every secret value the host knows or the context injected (and every field named like a
 * secret) redacted, long messages cut, and oversized data replaced by a note. While the host
 * is still reading the secret values, lines wait for them in order; if it cannot read them,
 * the waiting lines are dropped and one warning line says how many. A sink that throws loses
 * the line, not the plugin's call.
 */
export function createContextLogger(scope: ContextScope): PluginLogger {
  const { grants, limits, services } = scope;
  const redactorFor = cachedSecretRedactor();
  const emit = (record: PluginLogRecord): void => {
    try {
      services.log(record);
    } catch {
      // The line is lost; the plugin's call is not.
    }
  };
  const writeRedacted = (line: Line, known: Iterable<string>): void => {
    const redactor = redactorFor([...scope.injectedSecrets, ...known]);
    const text = redactor.text(line.message);
    emit({
      level: line.level,
      pluginId: grants.pluginId,
      pluginVersion: scope.version,
      message:
        text.length > limits.maxLogMessageLength
          ? `${text.slice(0, limits.maxLogMessageLength)}…`
          : text,
      ...(line.fields === undefined ? {} : { data: redactor.record(line.fields) }),
      time: line.time,
    });
  };
  const reportDropped = (count: number): void =>
    emit({
      level: "warn",
      pluginId: grants.pluginId,
      pluginVersion: scope.version,
      message: `${count} log line(s) of the plugin were dropped: the host could not read the plugin's secret values to redact them`,
      time: new Date().toISOString(),
    });
  // Lines waiting for the host's secret values, in the order they were written.
  let waiting: Line[] | undefined;
  const submit = (line: Line): void => {
    if (waiting !== undefined) {
      waiting.push(line);
      return;
    }
    const known = knownSecretValues(services);
    if (known.ready) {
      writeRedacted(line, known.values);
      return;
    }
    const queue = [line];
    waiting = queue;
    Promise.resolve(known.values).then(
      (values) => {
        waiting = undefined;
        for (const queued of queue) writeRedacted(queued, values);
      },
      () => {
        waiting = undefined;
        reportDropped(queue.length);
      },
    );
  };
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
      submit({ level, message, fields, time: new Date().toISOString() });
    };
  return Object.freeze({
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  });
}
