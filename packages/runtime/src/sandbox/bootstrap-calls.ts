/**
 * The bootstrap's call protocol, the functions the host calls by reference:
 * - `prepare(definition, descriptorJson)`: checks the default export, builds `ctx`.
 * - `invoke(callId, name, key, argsJson, notify)`: runs `#setup`, `#event` (key: subscription
 *   id) or a handler (key: entry of a handler group, or ""). Returns a reply, or "pending"
 *   when the handler returned a promise; a pending call's reply is sent as a
 *   `("settled", callId, replyJson)` message if `notify` is true, else kept for `collect`.
 * - `collect(callId)`: the kept reply, or "pending" (and the reply will be sent).
 * - `settle(requestId, replyJson)`: answers a context call.
 * Every value plugin code hands back is read inside a `try`, so what plugin code throws, even
 * from a poisoned built-in, becomes that call's failure and never escapes to the host.
 */
export const BOOTSTRAP_CALLS = `
let definition;
let setupFunction;
let ctx;
const handlers = create(null);
const groups = create(null);
let handlersThis;

function prepare(exported, descriptorText) {
  const descriptor = parse(descriptorText);
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
  setupFunction = setup;
  ctx = buildContext(descriptor);
  return okText('{"manifestId":' + (manifestId === null ? "null" : stringify(manifestId)) + "}");
}

/** Keeps the handlers setup returned; answers with their names as JSON text. */
function install(returned) {
  if (returned === null || typeof returned !== "object") {
    throw new TypeErrorCtor("setup must return an object of handlers, got " + (returned === null ? "null" : typeof returned));
  }
  handlersThis = returned;
  const names = [];
  let groupsText = "";
  const keys = keysOf(returned);
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    const value = returned[name];
    if (typeof value === "function") {
      handlers[name] = value;
      append(names, name);
    } else if (value !== null && typeof value === "object") {
      const group = create(null);
      const entries = [];
      const entryKeys = keysOf(value);
      for (let j = 0; j < entryKeys.length; j++) {
        const entry = value[entryKeys[j]];
        if (typeof entry === "function") {
          group[entryKeys[j]] = { fn: entry, self: value };
          append(entries, entryKeys[j]);
        }
      }
      groups[name] = group;
      groupsText += (groupsText === "" ? "" : ",") + stringify(name) + ":" + stringList(entries);
    }
  }
  return '{"handlers":' + stringList(names) + ',"groups":{' + groupsText + "}}";
}

function target(name, key) {
  if (name === "#setup") return { fn: setupFunction, self: definition, args: [ctx], after: install };
  if (name === "#event") {
    const handler = subscriptions[key];
    return handler === undefined ? undefined : { fn: handler, self: undefined, args: undefined, after: undefined };
  }
  if (key === "") {
    const handler = handlers[name];
    return handler === undefined ? undefined : { fn: handler, self: handlersThis, args: undefined, after: undefined };
  }
  const group = groups[name];
  const entry = group === undefined ? undefined : group[key];
  return entry === undefined ? undefined : { fn: entry.fn, self: entry.self, args: undefined, after: undefined };
}

function isAsyncIterable(value) {
  return value !== null && typeof value === "object" && typeof value[asyncIteratorSymbol] === "function";
}

async function drain(iterable) {
  const items = [];
  for await (const item of iterable) {
    append(items, item);
    if (items.length > maxText) throw new ErrorCtor("the async iterable yielded too many items");
  }
  return items;
}

function reply(value, after) {
  return after === undefined ? success(value) : okText(after(value));
}

const calls = create(null);

function finish(callId, replyText) {
  const entry = calls[callId];
  if (entry === undefined) return;
  if (entry.notify) {
    delete calls[callId];
    send("settled", callId, capped(replyText));
  } else {
    entry.reply = replyText;
  }
}

// An async function, not then(): await never consults Symbol.species or a replaced then of
// a native promise, and whatever plugin code runs on the way throws into the try.
async function settleLater(callId, result, kind, after) {
  let replyText;
  try {
    let value = await result;
    if (isAsyncIterable(value)) value = await drain(value);
    replyText = reply(value, after);
  } catch (thrown) {
    replyText = failure(kind, thrown);
  }
  finish(callId, replyText);
}

function invoke(callId, name, key, argsText, notify) {
  owner = callId;
  if (definition === undefined) return badReturn("load_failed", "the plugin is not prepared");
  const found = target(name, key);
  if (found === undefined) {
    return badReturn("no_handler", key === "" ? 'setup returned no handler "' + name + '"' : 'setup returned no handler "' + name + "." + key + '"');
  }
  const kind = name === "#setup" ? "setup_failed" : "plugin_error";
  let result;
  let later;
  try {
    result = apply(found.fn, found.self, found.args === undefined ? parse(argsText) : found.args);
    later = result !== null && (typeof result === "object" || typeof result === "function") &&
      (typeof result.then === "function" || isAsyncIterable(result));
    if (!later) return capped(reply(result, found.after));
  } catch (thrown) {
    return failure(kind, thrown);
  }
  calls[callId] = { notify: notify === true, reply: undefined };
  settleLater(callId, result, kind, found.after);
  return PENDING;
}

function collect(callId) {
  owner = callId;
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
