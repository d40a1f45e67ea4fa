/**
 * The code the sandbox runs in a fresh isolate before the plugin's module: it removes the
 * globals plugin code must not have, builds the plugin's `ctx` and exposes four functions the
 * host calls by reference (`prepare`, `invoke`, `collect`, `settle`). It is the body of a
 * function run with `evalClosure`: `$0` is the one host callback (`send`), `$1` the longest
 * JSON text a reply or a context call may be, `$2` how many context calls may wait at once,
 * `$3` how many log lines a second reach the host (the rest are dropped, so a logging loop
 * cannot flood the host's event loop). `console` is replaced by one that writes to the
 * plugin's logger.
 *
 * Security rests on the host, not on this code. Plugin code shares this realm and can bend
 * prototypes this code uses, so everything the host receives from the isolate (replies and
 * messages, always strings) is parsed and checked host-side. What this code must guarantee
 * is narrow: `send` stays in this closure (it is only ever called directly, never passed,
 * never a receiver), and no string longer than the caps reaches `send` or a reply, because
 * the host copies every string the isolate hands it. Built-ins it relies on are captured
 * before plugin code runs; functions are strict, so `caller` and stack frames do not expose
 * them.
 *
 * Protocol, host to isolate (each run under the CPU limit):
 * - `prepare(definition, descriptorJson)`: checks the default export, builds `ctx`.
 * - `invoke(callId, name, key, argsJson, notify)`: runs `#setup`, `#event` (key: subscription
 *   id) or a handler (key: entry of a handler group, or ""). Returns a reply, or "pending"
 *   when the handler returned a promise; a pending call's reply is sent as a `settled`
 *   message if `notify` is true, else kept for `collect`.
 * - `collect(callId)`: the kept reply, or "pending" (and the reply will be sent).
 * - `settle(requestId, replyJson)`: answers a context call.
 * Isolate to host, through `send`: `("request", id, method, argsJson)`,
 * `("log", level, argsJson)`, `("settled", callId, replyJson)`.
 * A reply is `{"ok":true,"value"?:…}` or `{"ok":false,"kind","name","message","stack"?,"code"?}`.
 */
export const ISOLATE_BOOTSTRAP = `"use strict";
const send = $0;
const maxText = $1;
const maxPending = $2;
const maxLogLines = $3;

const O = Object;
const freeze = O.freeze;
const create = O.create;
const keysOf = O.keys;
const isFrozen = O.isFrozen;
const stringify = JSON.stringify;
const parse = JSON.parse;
const apply = Reflect.apply;
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const StringCtor = String;
const sliceString = String.prototype.slice;
const asyncIteratorSymbol = Symbol.asyncIterator;
const now = Date.now;

// Shared memory and threads have no use without host threads; WebAssembly can reach
// SharedArrayBuffer through shared memories; finalizers would run outside any host call.
for (const name of ["SharedArrayBuffer", "Atomics", "WebAssembly", "FinalizationRegistry"]) {
  delete globalThis[name];
}

const PENDING = "pending";
const TOO_LONG = '{"ok":false,"kind":"return_too_large","name":"Error","message":"the reply is longer than the sandbox allows"}';

function capped(text) {
  return typeof text === "string" && text.length <= maxText ? text : TOO_LONG;
}

function clip(text, length) {
  return text.length <= length ? text : apply(sliceString, text, [0, length]);
}

// A thrown value described without trusting it: getters and toString may throw again.
function describe(thrown) {
  try {
    if (thrown !== null && (typeof thrown === "object" || typeof thrown === "function")) {
      const name = thrown.name;
      const message = thrown.message;
      const stack = thrown.stack;
      const code = thrown.code;
      return {
        name: typeof name === "string" ? clip(name, 200) : "Error",
        message: typeof message === "string" ? clip(message, 2000) : "a thrown " + typeof thrown,
        stack: typeof stack === "string" ? clip(stack, 4000) : undefined,
        code: typeof code === "string" ? clip(code, 200) : undefined,
      };
    }
    return { name: "Error", message: clip("a thrown " + typeof thrown + ": " + StringCtor(thrown), 2000) };
  } catch {
    return { name: "Error", message: "a thrown value that could not be described" };
  }
}

function failure(kind, thrown) {
  const described = describe(thrown);
  try {
    return capped(stringify({
      ok: false,
      kind,
      name: described.name,
      message: described.message,
      stack: described.stack,
      code: described.code,
    }));
  } catch {
    return '{"ok":false,"kind":"' + kind + '","name":"Error","message":"a failure that could not be described"}';
  }
}

function badReturn(kind, message) {
  return failure(kind, { name: "Error", message });
}

function success(value) {
  if (value === undefined) return '{"ok":true}';
  let text;
  try {
    text = stringify(value);
  } catch (thrown) {
    return badReturn("bad_return", "the returned value is not JSON: " + describe(thrown).message);
  }
  if (typeof text !== "string") {
    return badReturn("bad_return", "the returned value is a " + typeof value + ", not a JSON value");
  }
  if (text.length > maxText - 32) {
    return badReturn("return_too_large", "the returned value is " + text.length + " characters of JSON; the limit is " + (maxText - 32));
  }
  return '{"ok":true,"value":' + text + "}";
}

function contextError(code, message) {
  const error = new ErrorCtor(message);
  error.name = "PluginContextError";
  error.code = code;
  return error;
}

function deepFreeze(value) {
  if (value !== null && typeof value === "object" && !isFrozen(value)) {
    for (const key of keysOf(value)) deepFreeze(value[key]);
    freeze(value);
  }
  return value;
}

// Context calls: each waits for the host's settle(id, reply).
const waiting = create(null);
let waitingCount = 0;
let nextRequest = 1;

function request(method, args) {
  // JSON would turn a trailing undefined (an optional argument left out) into null.
  while (args.length > 0 && args[args.length - 1] === undefined) args.length--;
  return new PromiseCtor((resolve, reject) => {
    for (let i = 0; i < args.length; i++) {
      if (typeof args[i] === "string" && args[i].length > maxText) {
        reject(contextError("limit_exceeded", method + ": an argument is longer than " + maxText + " characters"));
        return;
      }
    }
    let text;
    try {
      text = stringify(args);
    } catch (thrown) {
      reject(contextError("invalid_argument", method + ": arguments must be JSON values (" + describe(thrown).message + ")"));
      return;
    }
    if (typeof text !== "string" || text.length > maxText) {
      reject(contextError("limit_exceeded", method + ": the arguments are longer than " + maxText + " characters of JSON"));
      return;
    }
    if (waitingCount >= maxPending) {
      reject(contextError("limit_exceeded", method + ": more than " + maxPending + " context calls are already waiting"));
      return;
    }
    const id = nextRequest++;
    waiting[id] = { resolve, reject };
    waitingCount++;
    send("request", id, method, text);
  });
}

function settle(id, replyText) {
  const entry = waiting[id];
  if (entry === undefined) return;
  delete waiting[id];
  waitingCount--;
  const reply = parse(replyText);
  if (reply.ok === true) entry.resolve(reply.value);
  else entry.reject(contextError(reply.code, reply.message));
}

let logWindow = 0;
let logLines = 0;

function admitLogLine() {
  const second = now();
  if (second - logWindow >= 1000) {
    logWindow = second;
    logLines = 0;
  }
  logLines++;
  if (logLines === maxLogLines + 1) {
    send("log", "warn", stringify(["log lines beyond " + maxLogLines + " a second are dropped"]));
  }
  return logLines <= maxLogLines;
}

function log(level, message, data) {
  if (typeof message !== "string") {
    throw new TypeErrorCtor("logger." + level + ": the message must be a string");
  }
  if (message.length > maxText) {
    throw contextError("limit_exceeded", "logger." + level + ": the message is longer than " + maxText + " characters");
  }
  let text;
  try {
    text = stringify(data === undefined ? [message] : [message, data]);
  } catch (thrown) {
    throw contextError("invalid_argument", "logger." + level + ": data must be JSON values (" + describe(thrown).message + ")");
  }
  if (typeof text !== "string" || text.length > maxText) {
    throw contextError("limit_exceeded", "logger." + level + ": the record is longer than " + maxText + " characters of JSON");
  }
  if (admitLogLine()) send("log", level, text);
}

function formatConsoleArgument(value) {
  if (typeof value === "string") return value;
  try {
    const text = stringify(value);
    return typeof text === "string" ? text : StringCtor(value);
  } catch {
    return "[unserialisable " + typeof value + "]";
  }
}

const consoleLevel = (level) => (...args) => {
  let message = "";
  for (let i = 0; i < args.length; i++) {
    message += (i === 0 ? "" : " ") + formatConsoleArgument(args[i]);
    if (message.length > maxText) break;
  }
  log(level, clip(message, maxText));
};
const ignored = () => {};
globalThis.console = freeze({
  debug: consoleLevel("debug"),
  log: consoleLevel("info"),
  info: consoleLevel("info"),
  warn: consoleLevel("warn"),
  error: consoleLevel("error"),
  trace: consoleLevel("debug"),
  dir: consoleLevel("debug"),
  table: consoleLevel("debug"),
  assert: ignored,
  count: ignored,
  countReset: ignored,
  group: ignored,
  groupCollapsed: ignored,
  groupEnd: ignored,
  time: ignored,
  timeEnd: ignored,
  timeLog: ignored,
});

const subscriptions = create(null);
let nextSubscription = 1;

function buildContext(descriptor) {
  const declaredSecrets = create(null);
  for (const key of descriptor.secretKeys) declaredSecrets[key] = true;
  const call = (method) => (...args) => request(method, args);
  return freeze({
    plugin: freeze({ id: descriptor.pluginId, version: descriptor.version }),
    config: deepFreeze(descriptor.config),
    logger: freeze({
      debug: (message, data) => log("debug", message, data),
      info: (message, data) => log("info", message, data),
      warn: (message, data) => log("warn", message, data),
      error: (message, data) => log("error", message, data),
    }),
    events: freeze({
      publish: call("events.publish"),
      subscribe: async (pattern, handler) => {
        if (typeof handler !== "function") {
          throw new TypeErrorCtor("events.subscribe: the handler must be a function");
        }
        const id = "s" + nextSubscription++;
        subscriptions[id] = handler;
        try {
          await request("events.subscribe", [pattern, id]);
        } catch (thrown) {
          delete subscriptions[id];
          throw thrown;
        }
        return freeze({
          unsubscribe: async () => {
            delete subscriptions[id];
            await request("events.unsubscribe", [id]);
          },
        });
      },
    }),
    http: freeze({
      request: async (options) => {
        const response = await request("http.request", [options]);
        const body = response.body;
        return freeze({
          status: response.status,
          headers: freeze(response.headers),
          body,
          json: () => parse(body),
        });
      },
    }),
    storage: freeze({
      get: call("storage.get"),
      set: call("storage.set"),
      delete: call("storage.delete"),
      list: call("storage.list"),
    }),
    data: freeze({
      query: call("data.query"),
      get: call("data.get"),
      put: call("data.put"),
    }),
    secrets: freeze({
      handle: (key) => {
        if (typeof key !== "string" || declaredSecrets[key] !== true) {
          throw contextError("permission_denied", descriptor.secretMessage(key));
        }
        return freeze({ kind: "secret_handle", key });
      },
    }),
  });
}

// The plugin as loaded: its definition, its ctx, and the handlers setup returned.
let definition;
let ctx;
const handlers = create(null);
const groups = create(null);
let handlersThis;

function prepare(exported, descriptorText) {
  const descriptor = parse(descriptorText);
  const declared = descriptor.secretKeys.length === 0 ? "none" : descriptor.secretKeys.join(", ");
  descriptor.secretMessage = (key) =>
    "secrets.handle: " + (typeof key === "string" ? '"' + clip(key, 100) + '"' : "a " + typeof key) +
    " is not one of the manifest's secretKeys (" + declared + ")";
  let setup;
  let manifestId = null;
  try {
    setup = exported === null || typeof exported !== "object" ? undefined : exported.setup;
    const manifest = exported === null || typeof exported !== "object" ? undefined : exported.manifest;
    const id = manifest === null || typeof manifest !== "object" ? undefined : manifest.id;
    if (typeof id === "string") manifestId = clip(id, 200);
  } catch (thrown) {
    return failure("load_failed", thrown);
  }
  if (typeof setup !== "function") {
    return badReturn("load_failed", "the module's default export is not definePlugin({ manifest, setup })");
  }
  definition = exported;
  ctx = buildContext(descriptor);
  return success({ manifestId });
}

function install(returned) {
  if (returned === null || typeof returned !== "object") {
    throw new TypeErrorCtor("setup must return an object of handlers, got " + (returned === null ? "null" : typeof returned));
  }
  handlersThis = returned;
  const names = [];
  const groupNames = create(null);
  for (const name of keysOf(returned)) {
    const value = returned[name];
    if (typeof value === "function") {
      handlers[name] = value;
      names[names.length] = name;
    } else if (value !== null && typeof value === "object") {
      const group = create(null);
      const entries = [];
      for (const key of keysOf(value)) {
        const entry = value[key];
        if (typeof entry === "function") {
          group[key] = { fn: entry, self: value };
          entries[entries.length] = key;
        }
      }
      groups[name] = group;
      groupNames[name] = entries;
    }
  }
  return { handlers: names, groups: groupNames };
}

const calls = create(null);

function finish(callId, reply) {
  const entry = calls[callId];
  if (entry === undefined) return;
  if (entry.notify) {
    delete calls[callId];
    send("settled", callId, capped(reply));
  } else {
    entry.reply = reply;
  }
}

async function drain(iterable) {
  const items = [];
  for await (const item of iterable) {
    items[items.length] = item;
    if (items.length > maxText) throw new ErrorCtor("the async iterable yielded too many items");
  }
  return items;
}

function target(name, key) {
  if (name === "#setup") return { fn: definition.setup, self: definition, args: [ctx], after: install };
  if (name === "#event") {
    const handler = subscriptions[key];
    return handler === undefined ? undefined : { fn: handler, self: undefined };
  }
  if (key === "") {
    const handler = handlers[name];
    return handler === undefined ? undefined : { fn: handler, self: handlersThis };
  }
  const group = groups[name];
  const entry = group === undefined ? undefined : group[key];
  return entry === undefined ? undefined : { fn: entry.fn, self: entry.self };
}

function invoke(callId, name, key, argsText, notify) {
  if (definition === undefined) return badReturn("load_failed", "the plugin is not prepared");
  const found = target(name, key);
  if (found === undefined) {
    return badReturn("no_handler", key === "" ? 'setup returned no handler "' + name + '"' : 'setup returned no handler "' + name + "." + key + '"');
  }
  const after = found.after;
  const kind = name === "#setup" ? "setup_failed" : "plugin_error";
  let result;
  try {
    result = apply(found.fn, found.self, found.args === undefined ? parse(argsText) : found.args);
  } catch (thrown) {
    return failure(kind, thrown);
  }
  let then;
  try {
    then = result !== null && (typeof result === "object" || typeof result === "function") ? result.then : undefined;
    if (then === undefined && result !== null && typeof result === "object" && typeof result[asyncIteratorSymbol] === "function") {
      result = drain(result);
      then = promiseThen;
    }
  } catch (thrown) {
    return failure(kind, thrown);
  }
  if (typeof then !== "function") {
    if (after === undefined) return capped(success(result));
    try {
      return capped(success(after(result)));
    } catch (thrown) {
      return failure(kind, thrown);
    }
  }
  calls[callId] = { notify: notify === true, reply: undefined };
  // await takes a native promise as it is, without looking up a then plugin code replaced.
  const awaited = result;
  const promise = (async () => await awaited)();
  apply(promiseThen, promise, [
    (value) => {
      if (value !== null && typeof value === "object" && typeof value[asyncIteratorSymbol] === "function") {
        apply(promiseThen, drain(value), [
          (items) => finish(callId, success(items)),
          (thrown) => finish(callId, failure(kind, thrown)),
        ]);
        return;
      }
      if (after === undefined) {
        finish(callId, success(value));
        return;
      }
      let installed;
      try {
        installed = after(value);
      } catch (thrown) {
        finish(callId, failure(kind, thrown));
        return;
      }
      finish(callId, success(installed));
    },
    (thrown) => finish(callId, failure(kind, thrown)),
  ]);
  return PENDING;
}

function collect(callId) {
  const entry = calls[callId];
  if (entry === undefined) return badReturn("crashed", "the sandbox has no call " + callId);
  if (entry.reply !== undefined) {
    delete calls[callId];
    return capped(entry.reply);
  }
  entry.notify = true;
  return PENDING;
}

return freeze({ prepare, invoke, collect, settle });
`;
