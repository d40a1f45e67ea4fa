/**
 * Every way a sandboxed call or load can fail, declared once: whether the failure marks the
 * plugin unhealthy (a runaway the sandbox had to stop, or an isolate that died), the HTTP
 * status a host should answer its caller with, and a title.
 */
export const SANDBOX_ERRORS = {
  load_failed: {
    unhealthy: true,
    status: 502,
    title: "The plugin code could not be loaded",
  },
  setup_failed: { unhealthy: true, status: 502, title: "The plugin's setup failed" },
  no_handler: { unhealthy: false, status: 501, title: "The plugin has no such handler" },
  plugin_error: { unhealthy: false, status: 502, title: "The plugin's handler threw" },
  bad_argument: {
    unhealthy: false,
    status: 500,
    title: "The host passed a value JSON cannot carry",
  },
  bad_return: { unhealthy: false, status: 502, title: "The plugin returned an invalid value" },
  return_too_large: {
    unhealthy: true,
    status: 502,
    title: "The plugin returned too large a value",
  },
  timeout: { unhealthy: true, status: 504, title: "The plugin ran past its time limit" },
  memory_limit: { unhealthy: true, status: 503, title: "The plugin ran past its memory limit" },
  stack_overflow: {
    unhealthy: true,
    status: 503,
    title: "The plugin's code recursed past the isolate's stack",
  },
  crashed: { unhealthy: true, status: 503, title: "The plugin's isolate stopped" },
  aborted: { unhealthy: false, status: 499, title: "The caller cancelled the call" },
  disposed: { unhealthy: false, status: 503, title: "The sandbox was disposed" },
} as const;

export type SandboxErrorCode = keyof typeof SANDBOX_ERRORS;

/** Any failure of a sandboxed plugin. `code` is stable; `message` is for people. */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  readonly status: number;
  readonly pluginId: string;

  constructor(code: SandboxErrorCode, pluginId: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SandboxError";
    this.code = code;
    this.status = SANDBOX_ERRORS[code].status;
    this.pluginId = pluginId;
  }
}

/** True for the failures that mark the plugin unhealthy. */
export function marksUnhealthy(code: SandboxErrorCode): boolean {
  return SANDBOX_ERRORS[code].unhealthy;
}
