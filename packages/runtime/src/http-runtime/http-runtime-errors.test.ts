import { describe, expect, it } from "vitest";
import { EGRESS_ERRORS } from "../egress/egress-errors.js";
import { egressFailureCode, HTTP_RUNTIME_ERRORS, HttpRuntimeError } from "./http-runtime-errors.js";

const egressEntries = Object.entries(HTTP_RUNTIME_ERRORS).filter(
  ([, entry]) => entry.stage === "egress",
);

describe("HTTP_RUNTIME_ERRORS", () => {
  it("has one egress_ code for each egress reason, and no other", () => {
    expect(egressEntries.map(([code]) => code)).toStrictEqual(
      Object.keys(EGRESS_ERRORS).map((reason) => `egress_${reason}`),
    );
    expect(egressFailureCode("host_not_granted")).toBe("egress_host_not_granted");
  });

  it("never retries a request the policy refused", () => {
    const denied = new Map(
      Object.entries(EGRESS_ERRORS).map(([reason, entry]) => [reason, entry.denied]),
    );
    for (const [code, entry] of egressEntries) {
      if (denied.get(code.slice("egress_".length)) === true)
        expect(entry.retryable, code).toBe(false);
    }
  });
});

describe("HttpRuntimeError", () => {
  it("starts its message with the manifest path and keeps the operation", () => {
    const error = new HttpRuntimeError("value_missing", "{{ input.to }} has no value", {
      operation: "send_fax",
      path: "runtime.operations.send_fax.url",
    });
    expect(error.message).toBe("runtime.operations.send_fax.url: {{ input.to }} has no value");
    expect(error).toMatchObject({
      name: "HttpRuntimeError",
      code: "value_missing",
      operation: "send_fax",
    });
  });
});
