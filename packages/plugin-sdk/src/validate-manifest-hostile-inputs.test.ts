import { describe, expect, it } from "vitest";
import type { ManifestIssue } from "./issues.js";
import { PLUGIN_KINDS } from "./kinds/built-in-kinds.js";
import { withField } from "./testing/edit-manifest.js";
import { actionExecutorExample, exampleOf, hookExample } from "./testing/example-manifests.js";
import { validateManifest } from "./validate-manifest.js";

function issuesOf(input: unknown): readonly ManifestIssue[] {
  const result = validateManifest(input);
  if (result.success) throw new Error("expected the manifest to be rejected");
  return result.issues;
}

const _everyKindListed = PLUGIN_KINDS.map((name) => `"${name}"`).join(", ");

describe("validateManifest on hostile inputs", () => {
  function unreadableIssue(input: unknown): ManifestIssue | undefined {
    let issues: readonly ManifestIssue[] = [];
    expect(() => {
      issues = issuesOf(input);
    }).not.toThrow();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("");
    expect(issues[0]?.code).toBe("unreadable");
    return issues[0];
  }

  function throwingGetter(thrown: unknown): Record<string, unknown> {
    const manifest = exampleOf("hook");
    Object.defineProperty(manifest, "displayName", {
      enumerable: true,
      get() {
        throw thrown;
      },
    });
    return manifest;
  }

  it("reports a field getter that throws as an unreadable manifest, quoting the error", () => {
    expect(unreadableIssue(throwingGetter(new Error("getter exploded")))?.message).toBe(
      "the manifest could not be read: Error: getter exploded",
    );
  });

  it("does not throw when a getter throws a value that cannot be turned into text", () => {
    expect(unreadableIssue(throwingGetter(Object.create(null)))?.message).toBe(
      "the manifest could not be read: a value that cannot be shown",
    );
    const refusesText = {
      toString() {
        throw new Error("no text");
      },
    };
    expect(unreadableIssue(throwingGetter(refusesText))?.message).toBe(
      "the manifest could not be read: a value that cannot be shown",
    );
  });

  it("reports a getter on the kind field that throws as an unreadable manifest", () => {
    const manifest = exampleOf("hook");
    Object.defineProperty(manifest, "kind", {
      get() {
        throw new RangeError("kind exploded");
      },
    });
    expect(unreadableIssue(manifest)?.message).toContain("kind exploded");
  });

  it("reports a proxy whose every trap throws as an unreadable manifest", () => {
    const trap = () => {
      throw new Error("trapped");
    };
    const proxy = new Proxy(exampleOf("hook"), {
      get: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      getPrototypeOf: trap,
    });
    expect(unreadableIssue(proxy)?.message).toContain("trapped");
  });

  it("reports a revoked proxy as an unreadable manifest", () => {
    const { proxy, revoke } = Proxy.revocable(exampleOf("hook"), {});
    revoke();
    expect(unreadableIssue(proxy)?.message).toContain("revoked");
  });

  it("reports a proxy nested in a list field as an unreadable manifest", () => {
    const tags = new Proxy([], {
      get() {
        throw new Error("list trapped");
      },
    });
    const manifest = exampleOf("hook");
    manifest.tags = tags;
    expect(unreadableIssue(manifest)?.message).toContain("list trapped");
  });

  it("rejects a kind and a field whose toString and valueOf throw without calling them", () => {
    const refusesText = {
      toString(): string {
        throw new Error("toString called");
      },
      valueOf(): number {
        throw new Error("valueOf called");
      },
    };
    expect(issuesOf(withField(hookExample, "kind", refusesText))[0]?.path).toBe("kind");
    const manifest = exampleOf("hook");
    manifest.displayName = refusesText;
    expect(issuesOf(manifest)).toEqual([
      {
        path: "displayName",
        code: "invalid_type",
        message: "expected a string, received a value of type object",
      },
    ]);
  });

  it("rejects deeply nested junk in every kind of nested field without throwing", () => {
    let nestedObject: Record<string, unknown> = {};
    let nestedArray: unknown[] = [];
    for (let depth = 0; depth < 50_000; depth++) {
      nestedObject = { x: nestedObject };
      nestedArray = [nestedArray];
    }
    const inputs = [
      withField(hookExample, "configSchema", nestedObject),
      withField(hookExample, "tags", nestedArray),
      withField(hookExample, "engines", nestedObject),
      withField(actionExecutorExample, "runtime.operations.send_email.body.template", nestedObject),
      withField(actionExecutorExample, "runtime.operations.send_email.body.template", nestedArray),
      { ...nestedObject, kind: "hook" },
    ];
    for (const input of inputs) {
      expect(() => validateManifest(input)).not.toThrow();
      expect(validateManifest(input).success).toBe(false);
    }
  });

  it("rejects a manifest that contains itself, reporting the unknown field", () => {
    const manifest = exampleOf("hook");
    manifest.self = manifest;
    expect(issuesOf(manifest)).toEqual([
      { path: "self", code: "unrecognized_key", message: 'unknown field "self"' },
    ]);
  });

  it("rejects a cycle inside a nested object without throwing", () => {
    const manifest = exampleOf("hook");
    const loop: Record<string, unknown> = { type: "string" };
    loop.items = loop;
    manifest.configSchema = { type: "object", properties: { loop } };
    const issues = issuesOf(manifest);
    expect(issues.map((issue) => issue.path)).toContain("configSchema.properties.loop.items.items");
  });

  it("rejects a JSON body template that contains itself, since JSON cannot hold a cycle", () => {
    const template: Record<string, unknown> = { raw: "{{ payload.raw }}" };
    template.again = [template];
    const path = "runtime.operations.send_email.body.template";
    // structuredClone, inside withField, keeps the cycle.
    expect(issuesOf(withField(actionExecutorExample, path, template))).toEqual([
      { path, code: "custom", message: "expected a JSON value, but this one contains itself" },
    ]);
  });

  it("accepts a JSON body template that shares one object in two places", () => {
    const shared = { value: "{{ payload.value }}" };
    const manifest = withField(actionExecutorExample, "runtime.operations.send_email.body", {
      encoding: "json",
      template: { first: shared, second: shared },
    });
    expect(validateManifest(manifest).success).toBe(true);
  });
});
