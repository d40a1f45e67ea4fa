import { z } from "zod";
import type { Sandbox } from "../sandbox/sandbox.js";
import { SandboxError } from "../sandbox/sandbox-errors.js";
import type { InstanceFailure } from "./instance-states.js";

/** What the plugin's `probe` handler returns (`HealthReport` in the SDK), read from its output. */
const HealthReportSchema = z.object({
  healthy: z.boolean(),
  message: z.string().max(1_000).optional(),
});

/** The outcome of the last probe, as `health()` reports it. */
export interface ProbeRecord {
  /** ISO 8601. */
  readonly at: string;
  readonly healthy: boolean;
  readonly message?: string;
}

export type ProbeOutcome =
  | { readonly kind: "healthy"; readonly record: ProbeRecord }
  /** The plugin has no `probe` handler: it counts as healthy, and is not probed again. */
  | { readonly kind: "absent"; readonly record: ProbeRecord }
  | { readonly kind: "unhealthy"; readonly record: ProbeRecord; readonly error: InstanceFailure };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls the plugin's `probe` handler under `timeoutMs`, as a read-only call: its context calls
 * that would change something are refused, so a probe has no side effects. A report of
 * `healthy: false`, a report of the wrong shape, a throw and a timeout all count as a failed
 * probe (`probe_failed`, or the sandbox's code when the sandbox stopped the call).
 */
export async function probePlugin(
  sandbox: Sandbox,
  timeoutMs: number,
  now: () => string,
): Promise<ProbeOutcome> {
  const failed = (
    code: InstanceFailure["code"],
    message: string,
    reported = message,
  ): ProbeOutcome => {
    const at = now();
    return {
      kind: "unhealthy",
      record: { at, healthy: false, message: reported },
      error: { code, message, at },
    };
  };
  let value: unknown;
  try {
    // The probe checks the report itself, to name it in the failure; it may only read.
    value = await sandbox.call("probe", [], { timeoutMs, checkResult: false, readOnly: true });
  } catch (error) {
    if (error instanceof SandboxError && error.code === "no_handler") {
      return {
        kind: "absent",
        record: { at: now(), healthy: true, message: "the plugin has no probe handler" },
      };
    }
    if (error instanceof SandboxError && error.code !== "plugin_error") {
      return failed(error.code, `the probe failed: ${error.message}`);
    }
    return failed("probe_failed", `the probe threw: ${messageOf(error)}`);
  }
  const report = HealthReportSchema.safeParse(value);
  if (!report.success) {
    return failed(
      "probe_failed",
      "the probe returned something other than { healthy: boolean, message?: string }",
    );
  }
  const { healthy, message } = report.data;
  if (!healthy) {
    const detail = message === undefined ? "" : `: ${message}`;
    return failed("probe_failed", `the probe reported unhealthy${detail}`, message ?? "unhealthy");
  }
  const record: ProbeRecord = {
    at: now(),
    healthy: true,
    ...(message === undefined ? {} : { message }),
  };
  return { kind: "healthy", record };
}
