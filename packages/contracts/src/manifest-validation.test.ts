import {
  checkRegistry,
  type ManifestIssue,
  type RegistryProblem,
  validateManifest,
} from "@plugboard/plugin-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { followUpWorkerPack, gmailProvider } from "./fixtures/example-manifests.js";
import type { Issue, RegistryProblemItem } from "./issue.js";
import {
  ManifestValidationRequestSchema,
  ManifestValidationRequestWireSchema,
  type ManifestValidationResult,
  ManifestValidationResultSchema,
  ManifestValidationResultWireSchema,
} from "./manifest-validation.js";
import { fromWire, toWire } from "./wire-case.js";

describe("manifest validation", () => {
  it("describes the same issue and problem fields as the SDK", () => {
    expectTypeOf<Issue>().toExtend<ManifestIssue>();
    expectTypeOf<ManifestIssue>().toExtend<Issue>();
    expectTypeOf<RegistryProblemItem>().toExtend<RegistryProblem>();
    expectTypeOf<RegistryProblem>().toExtend<RegistryProblemItem>();
  });

  it("carries the SDK's issues and registry problems over the wire", () => {
    const broken = { ...gmailProvider, setupSteps: [{ id: "Bad Id", title: "t" }] };
    const validation = validateManifest(broken);
    const check = checkRegistry([followUpWorkerPack]);
    const result: ManifestValidationResult = {
      valid: false,
      issues: validation.success ? [] : [...validation.issues],
      problems: check.success ? [] : [...check.problems],
    };
    expect(result.issues.map((issue) => issue.path)).toContain("setupSteps[0].ctaLabel");
    expect(result.problems[0]?.manifestId).toBe("worker-pack.follow-up");
    const wire = toWire(
      ManifestValidationResultSchema,
      ManifestValidationResultSchema.parse(result),
    );
    expect(wire.problems[0]?.manifest_id).toBe("worker-pack.follow-up");
    expect(wire.issues).toEqual(result.issues);
    expect(
      fromWire(ManifestValidationResultSchema, ManifestValidationResultWireSchema.parse(wire)),
    ).toEqual(result);
  });

  it("passes the manifest through exactly as its author wrote it", () => {
    const request = { manifest: gmailProvider };
    const wire = toWire(ManifestValidationRequestSchema, request);
    expect(wire.manifest).toBe(gmailProvider);
    expect(ManifestValidationRequestWireSchema.parse(wire)).toEqual(request);
  });

  it("requires a manifest and nothing else", () => {
    const missing = ManifestValidationRequestWireSchema.safeParse({});
    expect(missing.error?.issues[0]?.path).toEqual(["manifest"]);
    const extra = ManifestValidationRequestWireSchema.safeParse({ manifest: {}, dry_run: true });
    expect(extra.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["dry_run"] });
  });
});
