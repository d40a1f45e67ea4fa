/**
 * Seals and opens secret values. Each sealed value is bound to its plugin and key, so a
 * sealed value copied to another row does not open.
 */
export interface SecretVault {
  seal(pluginId: string, key: string, value: string): string;
  open(pluginId: string, key: string, sealed: string): string;
}
