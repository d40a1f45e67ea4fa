import { postmarkForwardEmailAdapter } from "@plugboard/plugin-manifests";
import { describe, expect, it } from "vitest";
import { ApiError } from "../http/problem-handler.js";
import { type IngressStep, runIngressPipeline } from "./ingress-pipeline.js";
import type { WebhookDelivery } from "./webhook-delivery.js";

const delivery: WebhookDelivery = {
  adapter: postmarkForwardEmailAdapter,
  headers: { "content-type": "application/json" },
  contentType: "application/json",
  body: Buffer.from('{"a":1}'),
  receivedAt: new Date("2025-03-01T12:00:00Z"),
};

const step = (name: string, run: IngressStep["run"]): IngressStep => ({ name, run });

describe("ingress pipeline", () => {
  it("passes the delivery through an empty pipeline unchanged", async () => {
    expect(await runIngressPipeline([], delivery)).toBe(delivery);
  });

  it("runs the steps in order, each seeing what the one before left", async () => {
    const seen: string[] = [];
    const result = await runIngressPipeline(
      [
        step("first", async (d) => {
          seen.push(`first ${d.body.toString()}`);
          return { action: "modify", body: Buffer.from('{"a":2}') };
        }),
        step("second", async (d) => {
          seen.push(`second ${d.body.toString()}`);
          return { action: "modify", headers: { "x-tag": "seen" } };
        }),
        step("third", async () => ({ action: "continue" })),
      ],
      delivery,
    );
    expect(seen).toEqual(['first {"a":1}', 'second {"a":2}']);
    expect(result.body.toString()).toBe('{"a":2}');
    expect(result.headers).toEqual({ "x-tag": "seen" });
    expect(result.adapter).toBe(postmarkForwardEmailAdapter);
  });

  it("stops at a rejecting step with its code, naming the step", async () => {
    let ranAfter = false;
    const run = runIngressPipeline(
      [
        step("block-spam", async () => ({
          action: "reject",
          code: "PLUGBOARD_FORBIDDEN",
          detail: "sender is blocked",
        })),
        step("after", async () => {
          ranAfter = true;
          return { action: "continue" };
        }),
      ],
      delivery,
    );
    await expect(run).rejects.toBeInstanceOf(ApiError);
    await expect(run).rejects.toMatchObject({
      code: "PLUGBOARD_FORBIDDEN",
      message: "block-spam: sender is blocked",
    });
    expect(ranAfter).toBe(false);
  });
});
