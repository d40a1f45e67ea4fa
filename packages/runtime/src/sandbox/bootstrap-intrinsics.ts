/**
 * The start of the isolate's bootstrap: its settings, the built-ins it uses, captured before
 * any plugin code runs, and the globals plugin code must not have.
 *
 * Plugin code shares this realm and may replace prototypes' members with setters, getters or
 * loops. The bootstrap therefore never assigns a property that may be missing (a setter on
 * `Object.prototype` or `Array.prototype[0]` would run), never calls a method through a
 * prototype at use time, and never serialises an object of its own with `JSON.stringify`
 * (`toJSON` may be poisoned): it writes its JSON by hand from strings, which `stringify`
 * quotes without looking anything up.
 */
export const BOOTSTRAP_INTRINSICS = `"use strict";
const send = $0;
const settings = JSON.parse($1);
const maxText = settings.maxJsonLength;
const maxPending = settings.maxPendingContextCalls;
const maxLogLines = settings.maxLogLinesPerSecond;
const maxLogCharacters = settings.maxLogCharactersPerSecond;
const maxLogMessage = settings.maxLogMessageLength;
const maxLogData = settings.maxLogDataLength;

const O = Object;
const freeze = O.freeze;
const create = O.create;
const keysOf = O.keys;
const isFrozen = O.isFrozen;
const defineProperty = O.defineProperty;
const getPrototypeOf = O.getPrototypeOf;
const stringify = JSON.stringify;
const parse = JSON.parse;
const apply = Reflect.apply;
const PromiseCtor = Promise;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const rangeErrorPrototype = RangeError.prototype;
const StringCtor = String;
const sliceString = String.prototype.slice;
const asyncIteratorSymbol = Symbol.asyncIterator;
const now = Date.now;

// Shared memory and threads have no use without host threads; WebAssembly can reach
// SharedArrayBuffer through shared memories; finalizers would run outside any host call.
for (const name of ["SharedArrayBuffer", "Atomics", "WebAssembly", "FinalizationRegistry"]) {
  delete globalThis[name];
}

/**
 * Sets an own data property without consulting the prototype chain (no setter runs). The
 * descriptor has no prototype, so a get or set member of Object.prototype cannot join it.
 */
function own(target, key, value) {
  defineProperty(target, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

/** Appends to an array of the bootstrap's own without consulting Array.prototype. */
function append(list, value) {
  own(list, list.length, value);
}

function clip(text, length) {
  return text.length <= length ? text : apply(sliceString, text, [0, length]);
}

/** A JSON array of strings, written by hand. */
function stringList(items) {
  let text = "[";
  for (let i = 0; i < items.length; i++) text += (i === 0 ? "" : ",") + stringify(items[i]);
  return text + "]";
}
`;
