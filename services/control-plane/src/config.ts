import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import type { ActionExecutorSettings } from "./actions/action-executor.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== ""),
);

/** Every setting of the control plane, read once from the environment at start. */
const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().min(1).default("127.0.0.1"),
  PLUGBOARD_DATA_DIR: z.string().min(1).default("./.plugboard"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//, { error: "expected a postgres:// or postgresql:// URL" })
    .optional(),
  PLUGBOARD_ADMIN_TOKEN: z
    .string()
    .min(24, { error: "expected at least 24 characters" })
    .regex(/^[\x21-\x7e]+$/, { error: "expected printable ASCII without spaces" })
    .optional(),
  PLUGBOARD_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, {
      error: "expected 32 bytes encoded as base64 (openssl rand -base64 32)",
    })
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  PLUGBOARD_INSTALL_ALLOWLIST: commaList.default([]),
  PLUGBOARD_NPM_REGISTRY: z.url({ protocol: /^https?$/ }).default("https://registry.npmjs.org"),
  PLUGBOARD_WEBHOOK_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024, { error: "expected at least 1024 bytes" })
    .max(67_108_864, { error: "expected at most 67108864 bytes (64 MiB)" })
    .default(1_048_576),
  PLUGBOARD_ACTION_EXECUTOR: z.enum(["on", "off"]).default("on"),
  PLUGBOARD_ACTION_LEASE_MS: z.coerce.number().int().min(200).max(3_600_000).default(120_000),
  PLUGBOARD_ACTION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  PLUGBOARD_ACTION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  PLUGBOARD_ACTION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  PLUGBOARD_ACTION_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(2_000),
  PLUGBOARD_ACTION_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
});

export interface ControlPlaneConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data directory (SQLite file, secret key, plugin bundles). */
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly adminToken: string | undefined;
  readonly secretKey: Buffer | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Package names (or `@scope/*`) that may be installed from the registry or a tarball. */
  readonly installAllowlist: readonly string[];
  readonly npmRegistry: string;
  /** The largest webhook body accepted, in bytes. */
  readonly webhookBodyLimit: number;
  /** The in-process action executor; `enabled: false` leaves execution to other replicas. */
  readonly actionExecutor: ActionExecutorSettings & { readonly enabled: boolean };
}

/** Thrown when an environment variable has a bad value; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses the environment into the configuration, or throws a `ConfigError` per bad variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): ControlPlaneConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = EnvironmentSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) =>
        `${issue.path.join(".")}=${JSON.stringify(present[String(issue.path[0])] ?? "")}: ${issue.message}`,
    );
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const parsed = result.data;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir: isAbsolute(parsed.PLUGBOARD_DATA_DIR)
      ? parsed.PLUGBOARD_DATA_DIR
      : resolve(cwd, parsed.PLUGBOARD_DATA_DIR),
    databaseUrl: parsed.DATABASE_URL,
    adminToken: parsed.PLUGBOARD_ADMIN_TOKEN,
    secretKey:
      parsed.PLUGBOARD_SECRET_KEY === undefined
        ? undefined
        : Buffer.from(parsed.PLUGBOARD_SECRET_KEY, "base64"),
    logLevel: parsed.LOG_LEVEL,
    installAllowlist: parsed.PLUGBOARD_INSTALL_ALLOWLIST,
    npmRegistry: parsed.PLUGBOARD_NPM_REGISTRY,
    webhookBodyLimit: parsed.PLUGBOARD_WEBHOOK_BODY_LIMIT,
    actionExecutor: {
      enabled: parsed.PLUGBOARD_ACTION_EXECUTOR === "on",
      leaseMs: parsed.PLUGBOARD_ACTION_LEASE_MS,
      pollIntervalMs: parsed.PLUGBOARD_ACTION_POLL_MS,
      concurrency: parsed.PLUGBOARD_ACTION_CONCURRENCY,
      maxAttempts: parsed.PLUGBOARD_ACTION_MAX_ATTEMPTS,
      backoffBaseMs: parsed.PLUGBOARD_ACTION_BACKOFF_MS,
      backoffMaxMs: parsed.PLUGBOARD_ACTION_BACKOFF_MAX_MS,
    },
  };
}
