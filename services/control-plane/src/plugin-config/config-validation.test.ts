import { rateLimitHook } from "@plugboard/plugin-manifests";
import type { ConfigSchema } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { validateConfig } from "./config-validation.js";

const schema: ConfigSchema = {
  type: "object",
  properties: {
    retries: { type: "integer", minimum: 0, maximum: 5 },
    ratio: { type: "number", minimum: 0.5 },
    mode: { type: "string", enum: ["fast", "safe"] },
    name: { type: "string", minLength: 2, maxLength: 4 },
    sender: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$" },
    endpoint: { type: "string", format: "uri" },
    contact: { type: "string", format: "email" },
    host: { type: "string", format: "hostname" },
    since: { type: "string", format: "date-time" },
    verbose: { type: "boolean" },
    tags: { type: "array", items: { type: "string", enum: ["a", "b"] }, minItems: 1, maxItems: 2 },
  },
  required: ["retries"],
  additionalProperties: false,
};

const paths = (config: Record<string, unknown>, ...against: [ConfigSchema | undefined] | []) =>
  validateConfig(against.length === 0 ? schema : against[0], config).map((issue) => [
    issue.path,
    issue.code,
  ]);

describe("validateConfig", () => {
  it("accepts settings that satisfy every rule of the schema", () => {
    expect(
      validateConfig(schema, {
        retries: 3,
        ratio: 0.75,
        mode: "safe",
        name: "añb",
        sender: "+4930123456",
        endpoint: "https://example.com/hook",
        contact: "ops@example.com",
        host: "relay.example.com",
        since: "2024-05-01T10:00:00Z",
        verbose: false,
        tags: ["a", "b"],
      }),
    ).toEqual([]);
  });

  it("names a missing required setting by its path", () => {
    expect(paths({})).toEqual([["config.retries", "required"]]);
  });

  it("refuses a value of the wrong type, and null", () => {
    expect(paths({ retries: 1.5, verbose: "yes", ratio: null, tags: "a" })).toEqual([
      ["config.retries", "invalid_type"],
      ["config.verbose", "invalid_type"],
      ["config.ratio", "invalid_type"],
      ["config.tags", "invalid_type"],
    ]);
  });

  it("checks bounds, enums, lengths, patterns and formats", () => {
    expect(
      paths({
        retries: 9,
        ratio: 0.1,
        mode: "slow",
        name: "x",
        sender: "0301234",
        endpoint: "not a uri",
        contact: "ops@",
        host: "bad_host.example",
        since: "yesterday",
      }),
    ).toEqual([
      ["config.retries", "too_big"],
      ["config.ratio", "too_small"],
      ["config.mode", "invalid_value"],
      ["config.name", "too_small"],
      ["config.sender", "invalid_format"],
      ["config.endpoint", "invalid_format"],
      ["config.contact", "invalid_format"],
      ["config.host", "invalid_format"],
      ["config.since", "invalid_format"],
    ]);
  });

  it("counts characters, not UTF-16 units, for string lengths", () => {
    expect(paths({ retries: 0, name: "😀😀😀😀" })).toEqual([]);
    expect(paths({ retries: 0, name: "😀😀😀😀😀" })).toEqual([["config.name", "too_big"]]);
  });

  it("checks array sizes and each item, naming the item's index", () => {
    expect(paths({ retries: 0, tags: [] })).toEqual([["config.tags", "too_small"]]);
    expect(paths({ retries: 0, tags: ["a", "c", 1] })).toEqual([
      ["config.tags", "too_big"],
      ["config.tags[1]", "invalid_value"],
      ["config.tags[2]", "invalid_type"],
    ]);
  });

  it("refuses an unknown setting when additionalProperties is false, naming the known ones", () => {
    const [issue] = validateConfig(schema, { retries: 0, retry: 1 });
    expect(issue).toMatchObject({ path: "config.retry", code: "unrecognized_key" });
    expect(issue?.message).toContain("retries");
  });

  it("allows undeclared settings when additionalProperties is not false, as JSON Schema does", () => {
    const open: ConfigSchema = { type: "object", properties: { a: { type: "string" } } };
    expect(paths({ extra: { nested: true } }, open)).toEqual([]);
  });

  it("refuses any config, even an empty one, for a plugin without a configSchema", () => {
    expect(paths({}, undefined)).toEqual([["config", "no_config_schema"]]);
  });

  it("quotes keys that are not identifiers in paths", () => {
    const open: ConfigSchema = { type: "object", properties: {}, additionalProperties: false };
    expect(paths({ "a b": 1 }, open)).toEqual([['config["a b"]', "unrecognized_key"]]);
  });

  it("reports a pattern the manifest got wrong instead of throwing", () => {
    const broken: ConfigSchema = {
      type: "object",
      properties: { code: { type: "string", pattern: "([" } },
    };
    expect(paths({ code: "x" }, broken)).toEqual([["config.code", "invalid_schema"]]);
  });

  it("validates a first-party manifest's settings", () => {
    expect(
      validateConfig(rateLimitHook.configSchema, {
        maxRequests: 100,
        windowSeconds: 60,
        keyBy: "ip",
      }),
    ).toEqual([]);
    expect(
      validateConfig(rateLimitHook.configSchema, { maxRequests: 0, windowSeconds: 60 }).map(
        (issue) => issue.path,
      ),
    ).toEqual(["config.keyBy", "config.maxRequests"]);
  });
});
