/**
 * Every error the SDK throws, declared once: a code, the HTTP status a host should answer
 * with, and a message built from what went wrong.
 */
export const SDK_ERRORS = {
  PLUGBOARD_MANIFEST_INVALID: { status: 422, title: "Manifest is invalid" },
  PLUGBOARD_PERMISSION_INVALID: { status: 422, title: "Permission string is invalid" },
  PLUGBOARD_KIND_INVALID: { status: 500, title: "Kind definition is invalid" },
} as const;

export type SdkErrorCode = keyof typeof SDK_ERRORS;

/** The base class of every error the SDK throws; `code` is stable, `message` is for people. */
export class PlugboardError extends Error {
  readonly code: SdkErrorCode;
  readonly status: number;

  constructor(code: SdkErrorCode, message: string) {
    super(message);
    this.name = "PlugboardError";
    this.code = code;
    this.status = SDK_ERRORS[code].status;
  }
}
