import { describe, expect, it } from "vitest";
import { PlugboardError, SDK_ERRORS, type SdkErrorCode } from "./errors.js";

describe("PlugboardError", () => {
  it.each(Object.keys(SDK_ERRORS) as SdkErrorCode[])(
    "carries the code %s with the HTTP status the table gives it",
    (code) => {
      const error = new PlugboardError(code, "what went wrong");
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe("PlugboardError");
      expect(error.code).toBe(code);
      expect(error.status).toBe(SDK_ERRORS[code].status);
      expect(error.message).toBe("what went wrong");
    },
  );
});
