import { z } from "zod";
import { PlugboardError } from "./errors.js";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
// 1 to 65535, in the pattern itself, so the manifest schema rejects what parsePermission would.
const PORT =
  "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})";
const HOST = `${LABEL}(?:\\.${LABEL})*(?::${PORT})?`;
const TOKEN = "(?:[A-Za-z0-9_-]+|\\*)";
const SUBJECT = `(?:>|${TOKEN}(?:\\.${TOKEN})*(?:\\.>)?)`;
const ENTITY = "[a-z][a-z0-9_]*";

/**
 * The permission grammar:
 * `network:outbound:<host>[:<port>]`, `network:inbound`,
 * `event:publish:<subject pattern>`, `event:subscribe:<subject pattern>`,
 * `data:read:<entity>`, `data:write:<entity>`, `storage:read`, `storage:write`.
 * Subject patterns are dot-separated tokens where `*` matches one token and a final `>`
 * matches one or more.
 */
export const PERMISSION_PATTERN = new RegExp(
  `^(?:network:outbound:${HOST}|network:inbound|event:(?:publish|subscribe):${SUBJECT}|data:(?:read|write):${ENTITY}|storage:(?:read|write))$`,
);

const PERMISSION_EXPECTED =
  "expected one of network:outbound:<host>[:<port>], network:inbound, event:publish:<subject pattern>, event:subscribe:<subject pattern>, data:read:<entity>, data:write:<entity>, storage:read, storage:write";

export const PermissionStringSchema = z.string().regex(PERMISSION_PATTERN, {
  error: PERMISSION_EXPECTED,
});

/** A permission string taken apart. */
export type Permission =
  | {
      readonly resource: "network";
      readonly access: "outbound";
      readonly host: string;
      readonly port?: number;
    }
  | { readonly resource: "network"; readonly access: "inbound" }
  | {
      readonly resource: "event";
      readonly access: "publish" | "subscribe";
      readonly subject: string;
    }
  | { readonly resource: "data"; readonly access: "read" | "write"; readonly entity: string }
  | { readonly resource: "storage"; readonly access: "read" | "write" };

function tryParsePermission(value: string): Permission | undefined {
  if (!PERMISSION_PATTERN.test(value)) return undefined;
  const [resource, access, ...rest] = value.split(":");
  const target = rest.join(":");
  switch (resource) {
    case "network": {
      if (access === "inbound") return { resource, access };
      const [host = "", port] = target.split(":");
      if (port === undefined) return { resource, access: "outbound", host };
      return { resource, access: "outbound", host, port: Number(port) };
    }
    case "event":
      return { resource, access: access === "publish" ? "publish" : "subscribe", subject: target };
    case "data":
      return { resource, access: access === "read" ? "read" : "write", entity: target };
    case "storage":
      return { resource, access: access === "read" ? "read" : "write" };
    default:
      return undefined;
  }
}

/**
 * Parses a permission string. Throws a `PlugboardError` (`PLUGBOARD_PERMISSION_INVALID`)
 * naming the grammar when the string is not a permission.
 *
 * @example parsePermission("event:publish:comms.*") // { resource: "event", access: "publish", subject: "comms.*" }
 */
export function parsePermission(value: string): Permission {
  const permission = tryParsePermission(value);
  if (permission === undefined) {
    throw new PlugboardError(
      "PLUGBOARD_PERMISSION_INVALID",
      `"${value}" is not a permission: ${PERMISSION_EXPECTED}`,
    );
  }
  return permission;
}

/**
 * True when every subject matched by `requested` is matched by `granted`
 * (`comms.>` covers `comms.*` and `comms.sms.sent`; `comms.*` does not cover `comms.>`).
 */
export function subjectCovers(granted: string, requested: string): boolean {
  const g = granted.split(".");
  const r = requested.split(".");
  for (let i = 0; i < g.length; i++) {
    const gt = g[i];
    const rt = r[i];
    if (gt === ">") return rt !== undefined;
    if (rt === undefined) return false;
    if (rt === ">") return false;
    if (gt !== "*" && gt !== rt) return false;
  }
  return g.length === r.length;
}

function covers(granted: Permission, requested: Permission): boolean {
  switch (granted.resource) {
    case "network":
      if (requested.resource !== "network" || requested.access !== granted.access) return false;
      if (granted.access === "inbound" || requested.access === "inbound") return true;
      return granted.host === requested.host && granted.port === requested.port;
    case "event":
      return (
        requested.resource === "event" &&
        requested.access === granted.access &&
        subjectCovers(granted.subject, requested.subject)
      );
    case "data":
      return (
        requested.resource === "data" &&
        requested.access === granted.access &&
        requested.entity === granted.entity
      );
    case "storage":
      return requested.resource === "storage" && requested.access === granted.access;
    default: {
      const exhaustive: never = granted;
      return exhaustive;
    }
  }
}

/**
 * True when the granted permissions allow the requested one. Malformed strings grant and
 * permit nothing.
 *
 * @example permits(["event:publish:comms.*"], "event:publish:comms.sms") // true
 */
export function permits(granted: readonly string[], requested: string): boolean {
  const wanted = tryParsePermission(requested);
  if (wanted === undefined) return false;
  for (const entry of granted) {
    const held = tryParsePermission(entry);
    if (held !== undefined && covers(held, wanted)) return true;
  }
  return false;
}
