import { CHANNEL_OPERATIONS, formatPath, type HttpRuntime } from "@plugboard/plugin-sdk";
import { literalUrlOrigin } from "./http-url.js";

/** Every warning `httpRuntimeWarnings` gives, declared once with a title. */
export const HTTP_RUNTIME_WARNINGS = {
  domain_unused: { title: "No operation calls this allowed domain" },
  domain_registrable: {
    title: "A whole registrable domain is allowed, but operations only call its subdomains",
  },
  status_operation_missing: { title: "A channel that sends has no get_status operation" },
  job_id_missing: {
    title: "A channel's send mapping names no job_id, so get_status has nothing to ask about",
  },
  timeout_missing: { title: "An operation has no timeoutMs" },
  status_map_missing: { title: "A statusPath has no statusMap" },
  status_path_missing: { title: "A statusMap has no statusPath" },
} as const;

export type HttpRuntimeWarningCode = keyof typeof HTTP_RUNTIME_WARNINGS;

/**
 * The output field of a channel's send mapping that holds the provider's job id: a host
 * passes it to `get_status` as `input.jobId` when it follows the job.
 */
export const CHANNEL_JOB_ID_FIELD = "job_id";

/** Something allowed but suspicious in an HTTP runtime, at its path in author form. */
export interface HttpRuntimeWarning {
  readonly path: string;
  readonly code: HttpRuntimeWarningCode;
  readonly message: string;
}

/** The parts of a manifest the warnings look at. */
export interface HttpRuntimeWarningsInput {
  readonly kind?: string;
  readonly runtime: HttpRuntime;
}

const SENDING_OPERATIONS: readonly string[] = [
  CHANNEL_OPERATIONS.sendMessage,
  CHANNEL_OPERATIONS.sendFax,
  CHANNEL_OPERATIONS.placeCall,
];

function domainWarnings(runtime: HttpRuntime): HttpRuntimeWarning[] {
  const hosts = new Set<string>();
  for (const operation of Object.values(runtime.operations)) {
    const origin = literalUrlOrigin(operation.url);
    if (origin !== undefined) hosts.add(origin.hostname);
  }
  const warnings: HttpRuntimeWarning[] = [];
  runtime.allowedDomains.forEach((domain, index) => {
    if (hosts.has(domain)) return;
    const path = formatPath(["runtime", "allowedDomains", index]);
    const subdomains = [...hosts].filter((host) => host.endsWith(`.${domain}`));
    if (domain.split(".").length === 2 && subdomains.length > 0) {
      warnings.push({
        path,
        code: "domain_registrable",
        message: `${domain} is a whole registrable domain, but the operations only call ${subdomains.join(", ")}; list only the hosts they call`,
      });
      return;
    }
    warnings.push({
      path,
      code: "domain_unused",
      message: `no operation URL calls ${domain}; remove it, or it allows more than the runtime needs`,
    });
  });
  return warnings;
}

/** Sending operations of a channel with `get_status` whose mapping reads no job id. */
function jobIdWarnings(runtime: HttpRuntime, sends: readonly string[]): HttpRuntimeWarning[] {
  const warnings: HttpRuntimeWarning[] = [];
  for (const name of sends) {
    const response = runtime.operations[name]?.response;
    const fields = response?.fields;
    if (fields !== undefined && Object.hasOwn(fields, CHANNEL_JOB_ID_FIELD)) continue;
    warnings.push({
      path: formatPath([
        "runtime",
        "operations",
        name,
        ...(fields === undefined ? ["response"] : ["response", "fields"]),
      ]),
      code: "job_id_missing",
      message: `${name}'s response mapping has no ${CHANNEL_JOB_ID_FIELD} field, so its jobs get no provider job id and get_status can never be asked about them`,
    });
  }
  return warnings;
}

function operationWarnings(runtime: HttpRuntime): HttpRuntimeWarning[] {
  const warnings: HttpRuntimeWarning[] = [];
  for (const [name, operation] of Object.entries(runtime.operations)) {
    const at = (...field: PropertyKey[]) => formatPath(["runtime", "operations", name, ...field]);
    if (operation.timeoutMs === undefined) {
      warnings.push({
        path: at("timeoutMs"),
        code: "timeout_missing",
        message: `${name} has no timeoutMs, so only the host policy's limit applies`,
      });
    }
    const response = operation.response;
    if (response?.statusPath !== undefined && response.statusMap === undefined) {
      warnings.push({
        path: at("response", "statusPath"),
        code: "status_map_missing",
        message: `${name} reads a provider status but has no statusMap, so it never reports a job status`,
      });
    }
    if (response?.statusMap !== undefined && response.statusPath === undefined) {
      warnings.push({
        path: at("response", "statusMap"),
        code: "status_path_missing",
        message: `${name} has a statusMap but no statusPath, so the map is never used`,
      });
    }
  }
  return warnings;
}

/**
 * Warnings about an HTTP runtime that the manifest checks allow but that are likely
 * mistakes: allowed domains no operation calls (or a whole registrable domain where only
 * subdomains are called), a channel that sends without `get_status`, or with it but with a
 * send mapping that names no `job_id` field, operations without
 * `timeoutMs`, and a `statusPath` without a `statusMap` or the reverse.
 *
 * @example httpRuntimeWarnings(faxChannel) // [{ path: "runtime.operations.get_status.timeoutMs", code: "timeout_missing", message: "…" }]
 */
export function httpRuntimeWarnings(manifest: HttpRuntimeWarningsInput): HttpRuntimeWarning[] {
  const { runtime } = manifest;
  const warnings = domainWarnings(runtime);
  const names = Object.keys(runtime.operations);
  const sends = names.filter((name) => SENDING_OPERATIONS.includes(name));
  if (manifest.kind === "channel" && sends.length > 0) {
    if (names.includes(CHANNEL_OPERATIONS.getStatus)) {
      warnings.push(...jobIdWarnings(runtime, sends));
    } else {
      warnings.push({
        path: "runtime.operations",
        code: "status_operation_missing",
        message: `the channel sends (${sends.join(", ")}) but has no get_status operation, so delivery cannot be followed`,
      });
    }
  }
  warnings.push(...operationWarnings(runtime));
  return warnings;
}
