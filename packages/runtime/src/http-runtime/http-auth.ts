import type { HttpAuth } from "@plugboard/plugin-sdk";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import { type SecretCut, secretMask } from "./secret-masks.js";

/** Reads one of the plugin's secrets by key; undefined when the operator has not set it. */
export type SecretResolver = (key: string) => Promise<string | undefined>;

/** What an auth scheme adds to a request, and the secret values it used. */
export interface AppliedAuth {
  /** Lowercase header names. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly query: readonly (readonly [name: string, value: string])[];
  /** Every secret value the scheme put in the request, and the mask that stands for it. */
  readonly cuts: readonly SecretCut[];
}

/** The header an auth scheme sets, lowercase, if it sets one. */
export function authHeaderName(auth: HttpAuth): string | undefined {
  switch (auth.scheme) {
    case "basic":
    case "bearer":
      return "authorization";
    case "api_key_header":
      return auth.header.toLowerCase();
    case "none":
    case "api_key_query":
      return undefined;
    default: {
      const exhaustive: never = auth;
      return exhaustive;
    }
  }
}

/** The query parameter an auth scheme sets, if it sets one. */
export function authQueryName(auth: HttpAuth): string | undefined {
  return auth.scheme === "api_key_query" ? auth.param : undefined;
}

/** Where secret values come from: the host's resolver, or `"masked"` for a dry run. */
export type AuthSecrets = SecretResolver | "masked";

async function secretText(
  secrets: AuthSecrets,
  key: string,
  field: string,
  operation: string,
): Promise<{ readonly text: string; readonly cut: SecretCut | undefined }> {
  const mask = secretMask(key);
  if (secrets === "masked") return { text: mask, cut: undefined };
  const value = await secrets(key);
  if (value === undefined || value === "") {
    throw new HttpRuntimeError("secret_missing", `secret "${key}" has no value set`, {
      operation,
      path: `runtime.auth.${field}`,
    });
  }
  return { text: value, cut: { value, replacement: mask } };
}

function cuts(...found: (SecretCut | undefined)[]): SecretCut[] {
  return found.filter((cut) => cut !== undefined);
}

/**
 * Applies an auth scheme: `basic` sets `authorization: Basic base64(user:password)`, `bearer`
 * sets `authorization: Bearer <token>`, `api_key_header` sets its header, `api_key_query`
 * adds its query parameter. Each secret is read through the resolver on every call;
 * `secret_missing` names the key when it has no value (or an empty one). With `"masked"`, no
 * secret is read: `«secret:<key>»` stands where each value would go, and a basic credential
 * is shown unencoded as `«secret:user»:«secret:password»`.
 */
export async function applyAuth(
  auth: HttpAuth,
  operation: string,
  secrets: AuthSecrets,
): Promise<AppliedAuth> {
  switch (auth.scheme) {
    case "none":
      return { headers: [], query: [], cuts: [] };
    case "basic": {
      const user = await secretText(secrets, auth.usernameSecret, "usernameSecret", operation);
      const password = await secretText(secrets, auth.passwordSecret, "passwordSecret", operation);
      const joined = `${user.text}:${password.text}`;
      if (secrets === "masked") {
        return { headers: [["authorization", `Basic ${joined}`]], query: [], cuts: [] };
      }
      const credentials = Buffer.from(joined, "utf8").toString("base64");
      const masked = `${secretMask(auth.usernameSecret)}:${secretMask(auth.passwordSecret)}`;
      return {
        headers: [["authorization", `Basic ${credentials}`]],
        query: [],
        cuts: cuts(user.cut, password.cut, { value: credentials, replacement: masked }),
      };
    }
    case "bearer": {
      const token = await secretText(secrets, auth.tokenSecret, "tokenSecret", operation);
      return {
        headers: [["authorization", `Bearer ${token.text}`]],
        query: [],
        cuts: cuts(token.cut),
      };
    }
    case "api_key_header": {
      const key = await secretText(secrets, auth.secret, "secret", operation);
      return { headers: [[auth.header.toLowerCase(), key.text]], query: [], cuts: cuts(key.cut) };
    }
    case "api_key_query": {
      const key = await secretText(secrets, auth.secret, "secret", operation);
      return { headers: [], query: [[auth.param, key.text]], cuts: cuts(key.cut) };
    }
    default: {
      const exhaustive: never = auth;
      return exhaustive;
    }
  }
}
