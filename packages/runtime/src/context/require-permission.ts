import { permits } from "@plugboard/plugin-sdk";
import { ContextError } from "./context-errors.js";

/** Whose context it is and what it was granted. */
export interface ContextGrants {
  readonly pluginId: string;
  readonly permissions: readonly string[];
}

/**
 * Throws `permission_denied` naming the permission `operation` needs, unless the grants
 * cover it (by the SDK's `permits`, the one reading of the permission grammar).
 */
export function requirePermission(
  grants: ContextGrants,
  permission: string,
  operation: string,
): void {
  if (permits(grants.permissions, permission)) return;
  throw new ContextError(
    "permission_denied",
    `${operation} needs the permission "${permission}", which plugin "${grants.pluginId}" was not granted`,
  );
}
