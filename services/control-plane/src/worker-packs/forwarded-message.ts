/** A mailbox as a forwarded message's header block writes it. */
export interface ForwardedMailbox {
  readonly name: string;
  readonly email: string;
}

/** The message inside a forwarded email: who wrote it, about what, and what it said. */
export interface ForwardedMessage {
  readonly from: ForwardedMailbox;
  readonly subject: string;
  readonly body: string;
}

// The lines mail clients put above a forwarded or quoted message.
const MARKERS = [
  /^-{2,}\s*Forwarded message\s*-{2,}$/i,
  /^-{2,}\s*Original Message\s*-{2,}$/i,
  /^Begin forwarded message:$/i,
];

const HEADER = /^([A-Za-z-]+):\s*(.*)$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** `Bo Client <bo@client.example>`, `"Client, Bo" <bo@…>`, `bo@…`, `Bo [mailto:bo@…]`. */
export function parseMailbox(text: string): ForwardedMailbox | undefined {
  const email = EMAIL.exec(text)?.[0];
  if (email === undefined) return undefined;
  const name = text
    .slice(0, text.indexOf(email))
    .replace(/[<[]\s*(mailto:)?\s*$/i, "")
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .trim();
  return { name, email: email.toLowerCase() };
}

/** The subject without reply and forward prefixes (`Re:`, `Fwd:`, `FW:`), however many. */
export function bareSubject(subject: string): string {
  let bare = subject.trim();
  for (;;) {
    const next = bare.replace(/^(?:re|fwd?|aw|wg)\s*:\s*/i, "");
    if (next === bare) return bare;
    bare = next;
  }
}

/**
 * Finds the first forwarded message in a plain-text body: the marker line a mail client
 * writes, the header block under it (`From:`, `Subject:`, …) and the text after it, up to
 * the next marker. Undefined when the body forwards nothing or the block names no sender.
 */
export function findForwardedMessage(text: string): ForwardedMessage | undefined {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const start = lines.findIndex((line) => MARKERS.some((marker) => marker.test(line.trim())));
  if (start === -1) return undefined;
  const headers = new Map<string, string>();
  let index = start + 1;
  while (index < lines.length && (lines[index] ?? "").trim() === "" && headers.size === 0) index++;
  for (; index < lines.length; index++) {
    const line = (lines[index] ?? "").trim();
    if (line === "") break;
    const header = HEADER.exec(line);
    if (header === null) break;
    const [, name = "", value = ""] = header;
    headers.set(name.toLowerCase(), value.replace(/^\*+|\*+$/g, "").trim());
  }
  const from = parseMailbox(headers.get("from") ?? "");
  if (from === undefined) return undefined;
  const rest = lines.slice(index + 1);
  const end = rest.findIndex((line) => MARKERS.some((marker) => marker.test(line.trim())));
  const body = (end === -1 ? rest : rest.slice(0, end)).join("\n").trim();
  return { from, subject: headers.get("subject") ?? "", body };
}
