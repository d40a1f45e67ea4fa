/** A value that survives a copy across the sandbox boundary. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export type ConfigValue = string | number | boolean | Array<string | number | boolean>;

export interface PluginLogger {
  debug(message: string, data?: Record<string, JsonValue>): void;
  info(message: string, data?: Record<string, JsonValue>): void;
  warn(message: string, data?: Record<string, JsonValue>): void;
  error(message: string, data?: Record<string, JsonValue>): void;
}

/** An event as published on the bus. */
export interface PluginEvent {
  readonly id: string;
  readonly subject: string;
  readonly time: string;
  readonly source: string;
  readonly data: JsonValue;
}

export interface PluginSubscription {
  unsubscribe(): Promise<void>;
}

/** Publish and subscribe, only within the subjects granted by `event:*` permissions. */
export interface PluginEvents {
  publish(subject: string, data: JsonValue): Promise<void>;
  subscribe(
    subjectPattern: string,
    handler: (event: PluginEvent) => void | Promise<void>,
  ): Promise<PluginSubscription>;
}

/**
 * A reference to a secret the host holds. Plugin code passes handles where a credential is
 * needed; the host puts the value into the outbound request, so the code never sees it.
 */
export interface SecretHandle {
  readonly kind: "secret_handle";
  readonly key: string;
  /**
   * Text put before the value where the host injects it, such as `"Bearer "` for an
   * `authorization` header: `{ ...ctx.secrets.handle("api_token"), prefix: "Bearer " }`.
   * Printable ASCII, at most 64 characters.
   */
  readonly prefix?: string;
}

export interface PluginHttpRequest {
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers whose values the host fills in from secrets, such as `{ authorization: handle }`. */
  readonly secretHeaders?: Readonly<Record<string, SecretHandle>>;
  readonly body?: string | JsonValue;
  readonly timeoutMs?: number;
}

export interface PluginHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  json<T extends JsonValue = JsonValue>(): T;
}

/** HTTP egress, only to hosts granted by `network:outbound:<host>` permissions. */
export interface PluginHttp {
  request(request: PluginHttpRequest): Promise<PluginHttpResponse>;
}

/** Key/value storage scoped to this plugin, granted by `storage:read` / `storage:write`. */
export interface PluginStorage {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(prefix?: string): Promise<string[]>;
}

export interface EntityRecord {
  readonly id: string;
  readonly [field: string]: JsonValue;
}

/** Entities of the types granted by `data:read:<entity>` / `data:write:<entity>`. */
export interface PluginData {
  query(entity: string, filter?: Record<string, JsonValue>): Promise<EntityRecord[]>;
  get(entity: string, id: string): Promise<EntityRecord | null>;
  put(entity: string, record: EntityRecord): Promise<void>;
}

export interface PluginSecrets {
  /** A handle for one of the manifest's `secretKeys`. */
  handle(key: string): SecretHandle;
}

/** A plugin's only door out, built by the host from the permissions it was granted. */
export interface PluginContext {
  readonly plugin: { readonly id: string; readonly version: string };
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly logger: PluginLogger;
  readonly events: PluginEvents;
  readonly http: PluginHttp;
  readonly storage: PluginStorage;
  readonly data: PluginData;
  readonly secrets: PluginSecrets;
}
