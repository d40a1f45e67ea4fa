import type { EntityRecord, JsonValue } from "@plugboard/plugin-sdk";
import type { EgressRequest, EgressResponse } from "../egress/egress-request.js";
import type { StorageQuota, StorageSetResult, StorageUsage } from "./storage-quota.js";

/** One log line of a plugin, tagged with its id, secrets already redacted. */
export interface PluginLogRecord {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly pluginId: string;
  readonly pluginVersion: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, JsonValue>>;
  /** ISO 8601. */
  readonly time: string;
}

/** Where a plugin's log lines go, such as a child of the host's pino logger. */
export type PluginLogSink = (record: PluginLogRecord) => void;

/**
 * An event as the host's bus carries it (the control plane's event envelope has this shape).
 * `type` is the subject; plugin code sees it as `subject`.
 */
export interface BusEvent {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly time: string;
  readonly source: string;
  readonly correlationId: string;
  readonly data: JsonValue;
}

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

/** The host's event bus: subjects are dot-separated tokens, patterns use `*` and a final `>`. */
export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  subscribe(
    pattern: string,
    handler: (event: BusEvent) => void | Promise<void>,
  ): Promise<BusSubscription>;
}

/**
 * Sends one outbound request through the host's egress guard, with the policy built from
 * this plugin's `network:outbound` grants, such as
 * `(request, options) => sendEgressRequest(request, createEgressPolicy(grants, hostPolicy), options)`.
 * `options.signal` aborts when the plugin call that made the request is stopped.
 */
export type EgressSender = (
  request: EgressRequest,
  options: EgressSendOptions,
) => Promise<EgressResponse>;

export interface EgressSendOptions {
  readonly signal?: AbortSignal;
}

/**
 * Key/value storage, one namespace per plugin; the broker always passes the calling plugin's
 * id, so one plugin never reaches another's keys.
 */
export interface PluginStorageBackend {
  get(pluginId: string, key: string): Promise<JsonValue | undefined>;
  /**
   * Stores the value unless that would pass `quota` (as `storageWriteOutcome` decides), with
   * the usage check and the write as one step, so concurrent writes cannot pass the quota
   * together. The broker always passes the context's quota; without one (a host writing on
   * a plugin's behalf) nothing is capped.
   */
  set(
    pluginId: string,
    key: string,
    value: JsonValue,
    quota?: StorageQuota,
  ): Promise<StorageSetResult>;
  /** The plugin's keys and their bytes (see `storedEntryBytes`). */
  usage(pluginId: string): Promise<StorageUsage>;
  /** True when the key existed. */
  delete(pluginId: string, key: string): Promise<boolean>;
  /** Keys starting with `prefix`, sorted, at most `limit` of them. */
  list(pluginId: string, prefix: string, limit: number): Promise<string[]>;
}

/** Entity records shared by plugins, by entity type; `pluginId` says who asks, for audit. */
export interface PluginDataBackend {
  /** Records whose top-level fields equal every entry of `filter`, at most `limit`. */
  query(
    pluginId: string,
    entity: string,
    filter: Readonly<Record<string, JsonValue>>,
    limit: number,
  ): Promise<EntityRecord[]>;
  get(pluginId: string, entity: string, id: string): Promise<EntityRecord | null>;
  put(pluginId: string, entity: string, record: EntityRecord): Promise<void>;
}

/** Where the host keeps plugin secrets; only the broker reads them, never plugin code. */
export interface SecretStore {
  /** The secret's value, or undefined when the operator has not set it. */
  resolve(pluginId: string, key: string): Promise<string | undefined>;
}

/**
 * What the host provides to plugin contexts. A service left out makes its context calls fail
 * with `unavailable` (after the permission check).
 */
export interface ContextServices {
  readonly log: PluginLogSink;
  readonly events?: EventBus | undefined;
  readonly egress?: EgressSender | undefined;
  readonly storage?: PluginStorageBackend | undefined;
  readonly data?: PluginDataBackend | undefined;
  readonly secrets?: SecretStore | undefined;
  /**
   * The plugin's secret values, redacted from its log lines and `http` responses besides
   * those the broker injected itself. May answer with a promise, such as while the values
   * are read from a vault: log lines wait for it, in order, and are dropped (with one warning
   * line saying how many) if it rejects; an `http` response is then withheld (`host_failed`).
   */
  readonly knownSecretValues?: (() => Iterable<string> | PromiseLike<Iterable<string>>) | undefined;
}
