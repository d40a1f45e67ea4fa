/**
 * The bootstrap's logging: `ctx.logger` and `console` write lines to the host through `send`.
 * Each line is cut to size here, before it crosses (message at `maxLogMessage` characters,
 * data over `maxLogData` characters of JSON replaced by a note), and lines beyond
 * `maxLogLines` or `maxLogCharacters` a second are dropped with one warning, so a logging loop
 * cannot make the host parse more than that on its event loop.
 */
export const BOOTSTRAP_LOGS = `
let logWindow = 0;
let logLines = 0;
let logCharacters = 0;
let logWarned = false;

function admitLogLine(length) {
  const time = now();
  if (time - logWindow >= 1000) {
    logWindow = time;
    logLines = 0;
    logCharacters = 0;
    logWarned = false;
  }
  if (logLines >= maxLogLines || logCharacters + length > maxLogCharacters) {
    if (!logWarned) {
      logWarned = true;
      send("log", "warn", stringList(["log lines beyond " + maxLogLines + " a second, or " + maxLogCharacters + " characters a second, are dropped"]));
    }
    return false;
  }
  logLines++;
  logCharacters += length;
  return true;
}

function log(level, message, data) {
  if (typeof message !== "string") {
    throw new TypeErrorCtor("logger." + level + ": the message must be a string");
  }
  let text = stringify(message.length > maxLogMessage ? clip(message, maxLogMessage) + "\u2026" : message);
  if (data !== undefined) {
    let dataText;
    try {
      dataText = stringify(data);
    } catch (thrown) {
      throw contextError("invalid_argument", "logger." + level + ": data must be JSON values (" + describe(thrown).message + ")");
    }
    if (typeof dataText === "string") {
      if (dataText.length > maxLogData) {
        dataText = '{"truncated":' + stringify("the data was longer than " + maxLogData + " characters of JSON") + "}";
      }
      text += "," + dataText;
    }
  }
  text = "[" + text + "]";
  if (admitLogLine(text.length)) send("log", level, text);
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
    if (message.length > maxLogMessage) break;
  }
  log(level, message);
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
`;
