import { smtpRelayProvider, smtpReviewedSendExecutor } from "@plugboard/plugin-manifests";
import type { ActionExecutorManifest } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { CatalogEntry } from "../plugins/plugin-catalog.js";
import { defineActionExecutor } from "./action-executor-implementation.js";
import { executorImplementations, resolveExecutor } from "./executor-resolution.js";

const entry = (manifest: CatalogEntry["manifest"], enabled = true): CatalogEntry => ({
  manifest,
  source: "first_party",
  installedVersion: manifest.version,
  enabled,
});
const implementation = (pluginId: string) =>
  defineActionExecutor({
    pluginId,
    payloadSchema: z.object({}),
    execute: async () => ({ type: "succeeded", result: {} }),
  });
const postmarkSend: ActionExecutorManifest = {
  ...smtpReviewedSendExecutor,
  id: "action.postmark-send",
  destinationProviders: ["postmark"],
};

describe("resolveExecutor", () => {
  const both = executorImplementations([
    implementation(smtpReviewedSendExecutor.id),
    implementation(postmarkSend.id),
  ]);

  it("finds the only executor and provider for a kind", () => {
    const resolution = resolveExecutor(
      [entry(smtpRelayProvider), entry(smtpReviewedSendExecutor)],
      both,
      { kind: "send_email" },
    );
    expect(resolution).toMatchObject({
      resolved: {
        destinationProvider: "smtp_relay",
        manifest: { id: smtpReviewedSendExecutor.id },
      },
    });
  });

  it("asks for a destination when several providers perform the kind", () => {
    const catalog = [entry(smtpReviewedSendExecutor), entry(postmarkSend)];
    expect(resolveExecutor(catalog, both, { kind: "send_email" })).toEqual({
      problem: {
        path: "destination_provider",
        message: "expected one of postmark, smtp_relay: several providers perform send_email",
        code: "destination_required",
      },
    });
    expect(
      resolveExecutor(catalog, both, { kind: "send_email", destinationProvider: "postmark" }),
    ).toMatchObject({ resolved: { manifest: { id: "action.postmark-send" } } });
  });

  it("skips disabled executors and executors without code on this host", () => {
    const onlySmtpCode = executorImplementations([implementation(smtpReviewedSendExecutor.id)]);
    expect(
      resolveExecutor([entry(smtpReviewedSendExecutor, false)], both, { kind: "send_email" }),
    ).toMatchObject({ problem: { path: "kind", code: "no_executor" } });
    expect(
      resolveExecutor([entry(postmarkSend)], onlySmtpCode, {
        kind: "send_email",
        destinationProvider: "postmark",
      }),
    ).toMatchObject({ problem: { path: "destination_provider", code: "no_executor" } });
  });
});
