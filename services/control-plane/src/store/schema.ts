import type { Generated } from "kysely";

/**
 * The tables of the control plane. Booleans are stored as 0/1 integers and timestamps as
 * ISO-8601 strings, so SQLite and PostgreSQL rows read back identically.
 */
export interface PluginTable {
  id: string;
  kind: string;
  /** `first_party` (shipped with the control plane) or `installed`. */
  source: string;
  /** The active version; null when nothing is installed. */
  current_version: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface PluginVersionTable {
  plugin_id: string;
  version: string;
  /** Install order within the plugin, used for history and rollback. */
  seq: number;
  manifest_json: string;
  package_name: string | null;
  integrity: string | null;
  /** Directory of the unpacked bundle, relative to the data directory. */
  bundle_dir: string | null;
  installed_at: string;
  installed_by: string;
}

export interface ConfigRevisionTable {
  plugin_id: string;
  revision: number;
  config_json: string;
  created_at: string;
  created_by: string;
  /** The revision this one restored, when it was written by a rollback. */
  restored_from: number | null;
}

export interface SecretTable {
  plugin_id: string;
  key: string;
  /** AES-256-GCM: base64 of iv, auth tag and ciphertext. */
  sealed: string;
  updated_at: string;
}

export interface SetupProgressTable {
  plugin_id: string;
  step_id: string;
  done: number;
  updated_at: string;
  updated_by: string;
}

export interface TokenTable {
  id: string;
  name: string;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  hash: string;
  scopes_json: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string;
  before_revision: string | null;
  after_revision: string | null;
  detail_json: string | null;
}

export interface WorkerTable {
  id: string;
  worker_pack_id: string;
  name: string;
  scope: string;
  created_at: string;
  created_by: string;
}

export interface WorkerInputRouteTable {
  id: string;
  worker_id: string;
  kind: string;
  label: string;
}

export interface WorkerActionCapabilityTable {
  worker_id: string;
  kind: string;
  boundary_mode: string;
}

export interface IdempotencyTable {
  key: string;
  operation: string;
  request_hash: string;
  status: number;
  response_json: string;
  created_at: string;
}

export interface ActionTable {
  seq: Generated<number>;
  id: string;
  worker_id: string;
  kind: string;
  /** Null on a refused request that named none and had no executor to find one. */
  destination_provider: string | null;
  executor_plugin_id: string | null;
  boundary_mode: string;
  status: string;
  payload_json: string;
  requested_by: string;
  /** The requester's key for this request, unique per worker; null when none was given. */
  request_key: string | null;
  request_digest: string;
  /** Sent with every attempt (as the SMTP Message-ID), so a second copy is recognisable. */
  idempotency_key: string;
  review_decision: string | null;
  reviewed_by: string | null;
  review_reason: string | null;
  reviewed_at: string | null;
  attempt_count: number;
  /** Retries scheduled after retryable errors since the last explicit retry. */
  automatic_retries: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  result_json: string | null;
  last_error_json: string | null;
  created_at: string;
  updated_at: string;
  /** The token id of the latest explicit retry, its reason and time; null before one. */
  retried_by: string | null;
  retry_reason: string | null;
  retried_at: string | null;
  /** Explicit retries so far. */
  retry_count: Generated<number>;
}

export interface ActionAttemptTable {
  action_id: string;
  attempt: number;
  idempotency_key: string;
  /** The executor that claimed the attempt. */
  executor: string;
  status: string;
  claimed_at: string;
  lease_expires_at: string;
  finished_at: string | null;
  result_json: string | null;
  error_json: string | null;
}

/** One event received through a webhook, stored before it is acknowledged. */
export interface IngressEventTable {
  /** Insertion order: pages of the event list, and pending events published oldest first. */
  seq: Generated<number>;
  id: string;
  plugin_id: string;
  /** The provider's id of the event; unique per plugin, which makes redeliveries duplicates. */
  provider_event_id: string;
  type: string;
  version: number;
  received_at: string;
  correlation_id: string;
  /** The normalised route event data, JSON. */
  data_json: string;
  /** `pending` until the event bus accepted the event, then `published`. */
  status: string;
  published_at: string | null;
  /** When every worker whose input routes match was given the event; null until then. */
  dispatched_at: string | null;
}

/** Something a worker made from a route event; `position` orders one event's items. */
export interface WorkItemTable {
  seq: Generated<number>;
  id: string;
  worker_id: string;
  kind: string;
  title: string;
  body_json: string;
  source_event_id: string;
  route_kind: string;
  correlation_id: string;
  position: number;
  action_ids_json: string;
  created_at: string;
}

/** One worker's handling of one route event; unique per worker and event. */
export interface WorkerRunTable {
  seq: Generated<number>;
  worker_id: string;
  event_id: string;
  route_kind: string;
  /** `drafted`, `done`, `skipped` or `failed`. */
  status: string;
  /** What the pack produced, kept so a retried run requests exactly the same actions. */
  output_json: string | null;
  work_item_ids_json: string;
  action_ids_json: string;
  detail: string | null;
  created_at: string;
  updated_at: string;
}

/** An entity record plugins share through `ctx.data`; `written_by` is the last plugin. */
export interface EntityRecordTable {
  entity: string;
  id: string;
  record_json: string;
  written_by: string;
  updated_at: string;
}

/** A message, fax or call sent through a channel, with what it was sent with. */
export interface ChannelJobTable {
  seq: Generated<number>;
  id: string;
  plugin_id: string;
  operation: string;
  status: string;
  input_json: string;
  provider_job_id: string | null;
  provider_status: string | null;
  /** The channel's manifest when the job was sent; refreshes use it. */
  manifest_json: string;
  manifest_version: string;
  /** The effective config when the job was sent; refreshes use it. */
  config_json: string;
  config_revision: number;
  last_error_json: string | null;
  refreshes: number;
  request_key: string | null;
  request_digest: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_refreshed_at: string | null;
}

/** An OAuth state issued for an adapter; `used_at` is set by the callback that used it. */
export interface OAuthStateTable {
  id: string;
  plugin_id: string;
  /** SHA-256 of the state, hex: the state itself is never stored. */
  state_digest: string;
  issued_by: string;
  issued_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PluginStorageTable {
  plugin_id: string;
  key: string;
  value_json: string;
  updated_at: string;
}

export interface Schema {
  plugins: PluginTable;
  plugin_storage: PluginStorageTable;
  plugin_versions: PluginVersionTable;
  config_revisions: ConfigRevisionTable;
  secrets: SecretTable;
  setup_progress: SetupProgressTable;
  tokens: TokenTable;
  audit_log: AuditTable;
  workers: WorkerTable;
  worker_input_routes: WorkerInputRouteTable;
  worker_action_capabilities: WorkerActionCapabilityTable;
  idempotency_keys: IdempotencyTable;
  ingress_events: IngressEventTable;
  actions: ActionTable;
  action_attempts: ActionAttemptTable;
  work_items: WorkItemTable;
  entity_records: EntityRecordTable;
  channel_jobs: ChannelJobTable;
  worker_runs: WorkerRunTable;
  oauth_states: OAuthStateTable;
}
