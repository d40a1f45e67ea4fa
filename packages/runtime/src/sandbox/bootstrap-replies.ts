/**
 * The bootstrap's replies: `{"ok":true,"value"?:…}` or
 * `{"ok":false,"kind","name","message","stack"?,"code"?}`, written by hand, never longer than
 * `maxText` (a longer one becomes `return_too_large`). A thrown value is described without
 * trusting it: its getters and `toString` may throw again or loop (the run's timeout stops a
 * loop).
 */
export const BOOTSTRAP_REPLIES = `
const PENDING = "pending";
const TOO_LONG = '{"ok":false,"kind":"return_too_large","name":"Error","message":"the reply is longer than the sandbox allows"}';
const STACK_OVERFLOW = "Maximum call stack size exceeded";

function capped(text) {
  return typeof text === "string" && text.length <= maxText ? text : TOO_LONG;
}

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
    return { name: "Error", message: clip("a thrown " + typeof thrown + ": " + StringCtor(thrown), 2000), stack: undefined, code: undefined };
  } catch {
    return { name: "Error", message: "a thrown value that could not be described", stack: undefined, code: undefined };
  }
}

// V8's own error for an exhausted stack. Plugin code can construct the same error, and is
// then treated as the runaway it pretends to be: only its own isolate is affected.
function isStackOverflow(thrown) {
  try {
    return thrown !== null && typeof thrown === "object" &&
      getPrototypeOf(thrown) === rangeErrorPrototype && thrown.message === STACK_OVERFLOW;
  } catch {
    return false;
  }
}

function failureText(kind, name, message, stack, code) {
  let text = '{"ok":false,"kind":' + stringify(kind) + ',"name":' + stringify(name) +
    ',"message":' + stringify(message);
  if (stack !== undefined) text += ',"stack":' + stringify(stack);
  if (code !== undefined) text += ',"code":' + stringify(code);
  return capped(text + "}");
}

function failure(kind, thrown) {
  const reported = (kind === "plugin_error" || kind === "setup_failed") && isStackOverflow(thrown) ? "stack_overflow" : kind;
  const described = describe(thrown);
  return failureText(reported, described.name, described.message, described.stack, described.code);
}

function badReturn(kind, message) {
  return failureText(kind, "Error", message, undefined, undefined);
}

function okText(valueText) {
  return valueText === undefined ? '{"ok":true}' : '{"ok":true,"value":' + valueText + "}";
}

function success(value) {
  if (value === undefined) return okText(undefined);
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
  return okText(text);
}
`;
