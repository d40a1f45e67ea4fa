import { readFileSync } from "node:fs";
import { isIP } from "node:net";
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

/** `name=address` pairs: host names the egress guard resolves without DNS, for test servers. */
const hostMap = commaList.transform((entries, context) => {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const [name = "", address = ""] = entry.split("=").map((part) => part.trim());
    if (name === "" || isIP(address) === 0) {
      context.addIssue({
        code: "custom",
        message: `expected name=address pairs such as api.example.test=127.0.0.1, got "${entry}"`,
      });
      return z.NEVER;
    }
    map.set(name.toLowerCase(), address);
  }
  return map;
});

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
  PLUGBOARD_EGRESS_PLAIN_HTTP_HOSTS: commaList.default([]),
  PLUGBOARD_EGRESS_LOOPBACK_HOSTS: commaList.default([]),
  PLUGBOARD_EGRESS_HOSTS: hostMap.default(new Map()),
  PLUGBOARD_EGRESS_CA_FILE: z.string().min(1).optional(),
  PLUGBOARD_EGRESS_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  PLUGBOARD_EGRESS_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_073_741_824)
    .default(5_242_880),
  PLUGBOARD_SANDBOX_MEMORY_MB: z.coerce.number().int().min(8).max(4_096).default(64),
  PLUGBOARD_SANDBOX_CPU_MS: z.coerce.number().int().min(1).max(60_000).default(50),
  PLUGBOARD_SANDBOX_WALL_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  PLUGBOARD_HOOK_DISPATCH: z.enum(["inline", "thread"]).default("inline"),
  PLUGBOARD_PROBE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  PLUGBOARD_ROLLBACK_WINDOW_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  PLUGBOARD_RESTART_BASE_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
  PLUGBOARD_RESTART_MAX_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  PLUGBOARD_PLUGIN_DIRS: commaList.default([]),
  // Webhooks and workers: the address providers reach, and how long a worker may draft.
  PLUGBOARD_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
    .optional(),
  PLUGBOARD_DRAFT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
});

/** The name of every environment variable the control plane reads. */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvironmentSchema.shape);

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
  /** What the egress guard allows every plugin beyond its grants, and its caps. */
  readonly egress: EgressSettings;
  /** The limits of each sandboxed plugin. */
  readonly sandbox: SandboxSettings;
  /** Health probes and the rollback window of plugin swaps. */
  readonly lifecycle: LifecycleSettings;
  /** Local directories whose plugins are registered and run at start (absolute paths). */
  readonly pluginDirs: readonly string[];
  /** The origin providers reach this server at, for callback URLs; the request's when unset. */
  readonly publicUrl: string | undefined;
  /** How long a worker's runtime pack, model call included, may take on one route event. */
  readonly draftTimeoutMs: number;
}

export interface EgressSettings {
  /** Granted hosts that may also be called over plain http (test servers). */
  readonly plainHttpHosts: readonly string[];
  /** Granted hosts that may resolve to a loopback address (test servers). */
  readonly loopbackHosts: readonly string[];
  /** Host names answered from this table instead of DNS (test servers). */
  readonly hosts: ReadonlyMap<string, string>;
  /** PEM certificates trusted besides Node's roots, read from PLUGBOARD_EGRESS_CA_FILE. */
  readonly trustedCertificates: readonly string[];
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface SandboxSettings {
  readonly memoryLimitMb: number;
  readonly cpuTimeMs: number;
  readonly wallTimeMs: number;
  /** Where hook plugins' calls run: `inline` (on the event loop when the isolate is idle) or on the thread pool. */
  readonly hookDispatch: "inline" | "thread";
}

export interface LifecycleSettings {
  /** How often running plugins with a `probe` handler are probed; 0 turns probing off. */
  readonly probeIntervalMs: number;
  /** How long the previous set of plugins stays loaded after a swap, for rollback. */
  readonly rollbackWindowMs: number;
  /** The wait before the first restart of an unhealthy plugin; each next one waits twice as long. */
  readonly restartBaseMs: number;
  /** The longest wait between restarts. */
  readonly restartMaxMs: number;
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
  if (parsed.PLUGBOARD_RESTART_MAX_MS < parsed.PLUGBOARD_RESTART_BASE_MS) {
    throw new ConfigError(
      `invalid configuration:\n  PLUGBOARD_RESTART_MAX_MS=${JSON.stringify(String(parsed.PLUGBOARD_RESTART_MAX_MS))}: expected at least PLUGBOARD_RESTART_BASE_MS (${parsed.PLUGBOARD_RESTART_BASE_MS})`,
    );
  }
  const caFile = parsed.PLUGBOARD_EGRESS_CA_FILE;
  let trustedCertificates: string[] = [];
  if (caFile !== undefined) {
    try {
      trustedCertificates = [
        readFileSync(isAbsolute(caFile) ? caFile : resolve(cwd, caFile), "utf8"),
      ];
    } catch (error) {
      throw new ConfigError(
        `invalid configuration:\n  PLUGBOARD_EGRESS_CA_FILE=${JSON.stringify(caFile)}: the file cannot be read (${error instanceof Error && "code" in error ? String(error.code) : "error"})`,
      );
    }
  }
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
    egress: {
      plainHttpHosts: parsed.PLUGBOARD_EGRESS_PLAIN_HTTP_HOSTS,
      loopbackHosts: parsed.PLUGBOARD_EGRESS_LOOPBACK_HOSTS,
      hosts: parsed.PLUGBOARD_EGRESS_HOSTS,
      trustedCertificates,
      timeoutMs: parsed.PLUGBOARD_EGRESS_TIMEOUT_MS,
      maxResponseBytes: parsed.PLUGBOARD_EGRESS_MAX_RESPONSE_BYTES,
    },
    sandbox: {
      memoryLimitMb: parsed.PLUGBOARD_SANDBOX_MEMORY_MB,
      cpuTimeMs: parsed.PLUGBOARD_SANDBOX_CPU_MS,
      wallTimeMs: parsed.PLUGBOARD_SANDBOX_WALL_MS,
      hookDispatch: parsed.PLUGBOARD_HOOK_DISPATCH,
    },
    lifecycle: {
      probeIntervalMs: parsed.PLUGBOARD_PROBE_INTERVAL_MS,
      rollbackWindowMs: parsed.PLUGBOARD_ROLLBACK_WINDOW_MS,
      restartBaseMs: parsed.PLUGBOARD_RESTART_BASE_MS,
      restartMaxMs: parsed.PLUGBOARD_RESTART_MAX_MS,
    },
    pluginDirs: parsed.PLUGBOARD_PLUGIN_DIRS.map((dir) =>
      isAbsolute(dir) ? dir : resolve(cwd, dir),
    ),
    publicUrl: parsed.PLUGBOARD_PUBLIC_URL?.replace(/\/+$/, ""),
    draftTimeoutMs: parsed.PLUGBOARD_DRAFT_TIMEOUT_MS,
  };
}
