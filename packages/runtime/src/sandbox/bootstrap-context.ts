/**
 * The bootstrap's context calls and the plugin's `ctx`. A context call leaves the isolate as a
 * `("request", id, method, argsJson, owner)` message and waits for the host's
 * `settle(id, replyJson)`. `owner` is the call whose run made the request: the call being
 * invoked, or the call whose request a `settle` answers (a continuation runs in that run), so
 * work a call leaves running in the background stays that call's.
 */
export const BOOTSTRAP_CONTEXT = `
const waiting = create(null);
let waitingCount = 0;
let nextRequest = 1;
let owner = 0;

function contextError(code, message) {
  const error = new ErrorCtor(message);
  defineProperty(error, "name", { __proto__: null, value: "PluginContextError", writable: true, configurable: true });
  own(error, "code", code);
  return error;
}

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
    waiting[id] = { resolve, reject, owner };
    waitingCount++;
    send("request", id, method, text, owner);
  });
}

function settle(id, replyText) {
  const entry = waiting[id];
  if (entry === undefined) return;
  delete waiting[id];
  waitingCount--;
  owner = entry.owner;
  const reply = parse(replyText);
  if (reply.ok === true) entry.resolve(reply.value);
  else entry.reject(contextError(reply.code, reply.message));
}

// Loops index arrays: for-of would call an iterator plugin code may have replaced.
function deepFreeze(value) {
  if (value !== null && typeof value === "object" && !isFrozen(value)) {
    const keys = keysOf(value);
    for (let i = 0; i < keys.length; i++) deepFreeze(value[keys[i]]);
    freeze(value);
  }
  return value;
}

const subscriptions = create(null);
let nextSubscription = 1;

function buildContext(descriptor) {
  const declaredSecrets = create(null);
  const secretKeys = descriptor.secretKeys;
  let declared = "";
  for (let i = 0; i < secretKeys.length; i++) {
    declaredSecrets[secretKeys[i]] = true;
    declared += (i === 0 ? "" : ", ") + secretKeys[i];
  }
  if (declared === "") declared = "none";
  const secretMessage = (key) =>
    "secrets.handle: " + (typeof key === "string" ? '"' + clip(key, 100) + '"' : "a " + typeof key) +
    " is not one of the manifest's secretKeys (" + declared + ")";
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
          throw contextError("permission_denied", secretMessage(key));
        }
        return freeze({ kind: "secret_handle", key });
      },
    }),
  });
}
`;
