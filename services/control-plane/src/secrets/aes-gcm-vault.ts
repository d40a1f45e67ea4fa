import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { SecretVault } from "./secret-vault.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_FILE = "secret.key";

/** AES-256-GCM with the plugin id and secret key name as associated data. */
export function createAesGcmVault(key: Buffer): SecretVault {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  const aad = (pluginId: string, name: string) => Buffer.from(`${pluginId}\u0000${name}`, "utf8");
  return {
    seal(pluginId, name, value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(aad(pluginId, name));
      const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
    },
    open(pluginId, name, sealed) {
      const raw = Buffer.from(sealed, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(aad(pluginId, name));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}

/**
 * The vault key: from configuration when given, otherwise read from (or generated once
 * into) a 0600 file in the data directory. The file is written to a temporary name and
 * renamed, so a crash never leaves a half-written key.
 */
export function loadVaultKey(dataDir: string, configured: Buffer | undefined): Buffer {
  if (configured !== undefined) return configured;
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    const fd = openSync(temporary, "wx", 0o600);
    try {
      writeSync(fd, randomBytes(32).toString("base64"));
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  }
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return key;
}
