import { describe, expect, it } from "vitest";
import { defineManifest, ManifestValidationError } from "./define-manifest.js";
import { PlugboardError } from "./errors.js";
import {
  actionExecutorExample,
  channelExample,
  connectionProviderExample,
  connectorExample,
  hookExample,
  ingressAdapterExample,
  ruleOperatorExample,
  workerPackExample,
} from "./testing/example-manifests.js";

function thrownBy(define: () => unknown): unknown {
  try {
    define();
  } catch (error) {
    return error;
  }
  throw new Error("expected defineManifest to throw");
}

describe("defineManifest", () => {
  it.each([
    connectionProviderExample,
    ingressAdapterExample,
    actionExecutorExample,
    workerPackExample,
    channelExample,
    connectorExample,
    ruleOperatorExample,
    hookExample,
  ])("returns the very object it was given when the $kind manifest is valid", (example) => {
    expect(defineManifest(example)).toBe(example);
  });

  it("does not copy, freeze or add fields to a valid manifest", () => {
    const manifest = { ...hookExample };
    const defined = defineManifest(manifest);
    expect(Object.isFrozen(defined)).toBe(false);
    expect(Object.keys(defined)).toEqual(Object.keys(hookExample));
  });

  it("throws a ManifestValidationError with every issue when the manifest is invalid", () => {
    const error = thrownBy(() =>
      defineManifest({ ...workerPackExample, id: "worker-pack.Follow_Up", version: "1.0" }),
    );
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect(error).toBeInstanceOf(PlugboardError);
    expect(error).toBeInstanceOf(Error);
    if (!(error instanceof ManifestValidationError)) return;
    expect(error.name).toBe("ManifestValidationError");
    expect(error.code).toBe("PLUGBOARD_MANIFEST_INVALID");
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      {
        path: "version",
        code: "invalid_format",
        message: "expected a semver version such as 1.0.0",
      },
      {
        path: "id",
        code: "invalid_format",
        message: "expected an id of the form worker-pack.<name>",
      },
    ]);
  });

  it("names the manifest and lists each issue with its path in the message", () => {
    const error = thrownBy(() =>
      defineManifest({ ...hookExample, permissions: ["storage:read", "storage:erase"] }),
    );
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect(String((error as Error).message)).toMatch(
      /^manifest hook\.rate-limit is invalid:\n {2}permissions\[1\]: expected one of network:outbound:/,
    );
  });

  it("rejects a manifest whose problem only shows at run time, such as an empty list", () => {
    expect(() => defineManifest({ ...channelExample, operations: [] })).toThrow(
      ManifestValidationError,
    );
  });

  it("rejects a manifest read from JSON, naming it by a placeholder when it has no id", () => {
    const parsed = JSON.parse('{"kind":"hook","displayName":"No id"}');
    const error = thrownBy(() => defineManifest(parsed));
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect((error as ManifestValidationError).message).toMatch(
      /^manifest \(without id\) is invalid:/,
    );
    expect((error as ManifestValidationError).issues.map((issue) => issue.path)).toContain("id");
  });

  it("rejects garbage read from JSON with a root issue shown as (root)", () => {
    const error = thrownBy(() => defineManifest(JSON.parse("[1, 2, 3]")));
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect((error as ManifestValidationError).message).toBe(
      "manifest (without id) is invalid:\n  (root): expected a manifest object",
    );
  });
});
