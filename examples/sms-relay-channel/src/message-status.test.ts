import { describe, expect, it } from "vitest";
import { jobStatusOf } from "./message-status.js";

describe("jobStatusOf", () => {
  it("maps each status SMS Relay documents onto a job status", () => {
    expect(["accepted", "sending", "delivered", "undelivered"].map(jobStatusOf)).toEqual([
      "queued",
      "in_progress",
      "succeeded",
      "failed",
    ]);
  });

  it("throws for a status SMS Relay does not document, naming it and the known ones", () => {
    expect(() => jobStatusOf("Delivered")).toThrow(
      'SMS Relay reported status "Delivered", which is not one of accepted, sending, delivered, undelivered',
    );
  });
});
