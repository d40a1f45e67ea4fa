import { describe, expect, it } from "vitest";
import { formatIssues, formatPath, joinPath } from "./issues.js";

describe("formatPath", () => {
  it.each<[PropertyKey[], string]>([
    [[], ""],
    [["version"], "version"],
    [["setupSteps", 1, "ctaLabel"], "setupSteps[1].ctaLabel"],
    [["runtime", "operations", "send_fax", "method"], "runtime.operations.send_fax.method"],
    [["configSchema", "properties", "$ref"], "configSchema.properties.$ref"],
    [["uiSchema", "max requests"], 'uiSchema["max requests"]'],
    [["headers", "content-type"], 'headers["content-type"]'],
    [["headers", 'say "hi"'], 'headers["say \\"hi\\""]'],
    [["items", "0"], 'items["0"]'],
    [[0, "id"], "[0].id"],
    [["tags", Symbol("odd")], 'tags["Symbol(odd)"]'],
  ])("writes %j as %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("joinPath", () => {
  it("joins a parent and a child the way an author writes the path", () => {
    expect(joinPath("setupSteps[0]", "title")).toBe("setupSteps[0].title");
    expect(joinPath("setupSteps", "[0]")).toBe("setupSteps[0]");
    expect(joinPath("", "title")).toBe("title");
    expect(joinPath("runtime", "")).toBe("runtime");
  });
});

describe("formatIssues", () => {
  it("writes one indented line per issue and names the root", () => {
    expect(
      formatIssues([
        { path: "", code: "invalid_type", message: "expected a manifest object" },
        {
          path: "setupSteps[1].ctaLabel",
          code: "too_small",
          message: "expected at least 1 character(s)",
        },
      ]),
    ).toBe(
      "  (root): expected a manifest object\n  setupSteps[1].ctaLabel: expected at least 1 character(s)",
    );
  });
});
