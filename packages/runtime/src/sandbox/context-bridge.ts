import type {
  EntityRecord,
  JsonValue,
  PluginContext,
  PluginEvent,
  PluginLogger,
  PluginSubscription,
} from "@plugboard/plugin-sdk";
import { ContextError } from "../context/context-errors.js";
import { assertHttpRequest, sendPluginHttpRequest } from "../context/context-http.js";
import { readJsonText } from "./json-text.js";

export interface ContextBridgeOptions {
  readonly pluginId: string;
  readonly context: PluginContext;
  readonly maxJsonLength: number;
  readonly maxPendingContextCalls: number;
  /** Delivers an event to the isolate's handler for a subscription. */
  readonly deliver: (subscriptionId: string, event: PluginEvent) => Promise<void>;
  /**
   * Whether a context call made by `owner` (the call whose run made it) is still answered:
   * false once that call settled more than the grace period ago.
   */
  readonly accepting: (owner: number) => boolean;
  /** Whether the call `owner` may only read: its context calls that change something are refused. */
  readonly readOnly: (owner: number) => boolean;
  /** Aborted when the isolate stops: cancels the outbound HTTP its calls started. */
  readonly signal: AbortSignal;
  readonly onDropped: () => void;
  /** Told about host failures, whose text plugin code does not see. */
  readonly onContextError: ((error: unknown, method: string) => void) | undefined;
}

/** What the isolate's context calls run against, one per loaded isolate. */
export interface ContextBridge {
  /**
   * Runs a context call made by the call `owner`; resolves to the reply text, or undefined
   * when the call is dropped.
   */
  request(method: string, argsText: string, owner: number): Promise<string | undefined>;
  log(level: string, argsText: string): void;
  /** Ends the isolate's subscriptions. */
  close(): Promise<void>;
}

type Args = readonly JsonValue[];

/** Context calls that change something outside the call, refused to a read-only call. */
const WRITING_CALLS: ReadonlySet<string> = new Set([
  "events.publish",
  "events.subscribe",
  "events.unsubscribe",
  "storage.set",
  "storage.delete",
  "data.put",
]);

function changesSomething(method: string, args: Args): boolean {
  if (WRITING_CALLS.has(method)) return true;
  if (method !== "http.request") return false;
  const [request] = args;
  const verb =
    typeof request === "object" && request !== null && !Array.isArray(request)
      ? request.method
      : undefined;
  // GET is the default, and the only method that reads.
  return verb !== undefined && verb !== "GET";
}

function text(args: Args, index: number, method: string): string {
  const value = args[index];
  if (typeof value === "string") return value;
  throw new ContextError(
    "invalid_argument",
    `${method}: argument ${index + 1} must be a string, got ${value === undefined ? "nothing" : value === null ? "null" : `a ${typeof value}`}`,
  );
}

function json(args: Args, index: number, method: string): JsonValue {
  const value = args[index];
  if (value !== undefined) return value;
  throw new ContextError("invalid_argument", `${method}: argument ${index + 1} is missing`);
}

function object(args: Args, index: number, method: string): Record<string, JsonValue> {
  const value = args[index];
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  throw new ContextError("invalid_argument", `${method}: argument ${index + 1} must be an object`);
}

function isRecord(value: JsonValue): value is Record<string, JsonValue> & EntityRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.id === "string"
  );
}

const LOG_LEVELS = [
  "debug",
  "info",
  "warn",
  "error",
] as const satisfies readonly (keyof PluginLogger)[];

function isLogLevel(level: string): level is (typeof LOG_LEVELS)[number] {
  return LOG_LEVELS.some((known) => known === level);
}

/**
 * The host side of the isolate's context: decodes each call (JSON text from the isolate,
 * never trusted), runs it on the plugin's `PluginContext`, and encodes the outcome. Plugin code
 * sees a `ContextError`'s code and message; any other failure only as `host_failed`.
 */
export function createContextBridge(options: ContextBridgeOptions): ContextBridge {
  const { context, pluginId } = options;
  const subscriptions = new Map<string, PluginSubscription>();
  let pending = 0;

  const calls: Readonly<Record<string, (args: Args, method: string) => Promise<unknown>>> = {
    "events.publish": (args, method) =>
      context.events.publish(text(args, 0, method), json(args, 1, method)),
    "events.subscribe": async (args, method) => {
      const pattern = text(args, 0, method);
      const id = text(args, 1, method);
      if (subscriptions.has(id)) {
        throw new ContextError("invalid_argument", `${method}: subscription ${id} exists`);
      }
      const subscription = await context.events.subscribe(pattern, (event) =>
        options.deliver(id, event),
      );
      subscriptions.set(id, subscription);
    },
    "events.unsubscribe": async (args, method) => {
      const id = text(args, 0, method);
      const subscription = subscriptions.get(id);
      subscriptions.delete(id);
      await subscription?.unsubscribe();
    },
    "http.request": async (args, method) => {
      const request = json(args, 0, method);
      assertHttpRequest(request);
      const response = await sendPluginHttpRequest(context.http, request, options.signal);
      return { status: response.status, headers: response.headers, body: response.body };
    },
    "storage.get": (args, method) => context.storage.get(text(args, 0, method)),
    "storage.set": (args, method) =>
      context.storage.set(text(args, 0, method), json(args, 1, method)),
    "storage.delete": (args, method) => context.storage.delete(text(args, 0, method)),
    "storage.list": (args, method) =>
      context.storage.list(args.length === 0 ? undefined : text(args, 0, method)),
    "data.query": (args, method) =>
      context.data.query(
        text(args, 0, method),
        args.length < 2 ? undefined : object(args, 1, method),
      ),
    "data.get": (args, method) => context.data.get(text(args, 0, method), text(args, 1, method)),
    "data.put": (args, method) => {
      const record = json(args, 1, method);
      if (!isRecord(record)) {
        throw new ContextError(
          "invalid_argument",
          `${method}: the record must be an object with a string id`,
        );
      }
      return context.data.put(text(args, 0, method), record);
    },
  };

  const encode = (method: string, outcome: unknown, failed: boolean): string => {
    if (!failed) {
      const value = JSON.stringify({ ok: true, value: outcome });
      return value.length <= options.maxJsonLength
        ? value
        : encode(
            method,
            new ContextError(
              "limit_exceeded",
              `${method}: the result is longer than ${options.maxJsonLength} characters of JSON`,
            ),
            true,
          );
    }
    if (outcome instanceof ContextError) {
      if (outcome.code === "host_failed")
        options.onContextError?.(outcome.cause ?? outcome, method);
      return JSON.stringify({ ok: false, code: outcome.code, message: outcome.message });
    }
    options.onContextError?.(outcome, method);
    return JSON.stringify({
      ok: false,
      code: "host_failed",
      message: `${method} failed in the host`,
    });
  };

  return {
    async request(method, argsText, owner) {
      if (!options.accepting(owner)) {
        options.onDropped();
        return undefined;
      }
      const run = Object.hasOwn(calls, method) ? calls[method] : undefined;
      if (run === undefined) {
        return encode(
          method,
          new ContextError("invalid_argument", `no context call ${method}`),
          true,
        );
      }
      const parsed = readJsonText(argsText, options.maxJsonLength);
      if (!parsed.ok || !Array.isArray(parsed.value)) {
        const why = parsed.ok ? "not an argument list" : parsed.message;
        return encode(method, new ContextError("invalid_argument", `${method}: ${why}`), true);
      }
      if (options.readOnly(owner) && changesSomething(method, parsed.value)) {
        return encode(
          method,
          new ContextError(
            "permission_denied",
            `${method}: this call may only read (a probe changes nothing); only reads, GET requests and log lines are allowed`,
          ),
          true,
        );
      }
      if (pending >= options.maxPendingContextCalls) {
        return encode(
          method,
          new ContextError(
            "limit_exceeded",
            `${method}: more than ${options.maxPendingContextCalls} context calls of plugin "${pluginId}" are waiting`,
          ),
          true,
        );
      }
      pending += 1;
      try {
        return encode(method, await run(parsed.value, method), false);
      } catch (error) {
        return encode(method, error, true);
      } finally {
        pending -= 1;
      }
    },

    log(level, argsText) {
      if (!isLogLevel(level)) return;
      const parsed = readJsonText(argsText, options.maxJsonLength);
      if (!parsed.ok || !Array.isArray(parsed.value)) return;
      const [message, data] = parsed.value;
      if (typeof message !== "string") return;
      const fields =
        typeof data === "object" && data !== null && !Array.isArray(data) ? data : undefined;
      try {
        context.logger[level](message, fields);
      } catch (error) {
        options.onContextError?.(error, `logger.${level}`);
      }
    },

    async close() {
      const open = [...subscriptions.values()];
      subscriptions.clear();
      await Promise.allSettled(open.map((subscription) => subscription.unsubscribe()));
    },
  };
}
