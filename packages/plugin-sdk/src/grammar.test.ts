import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  KEBAB_SEGMENT,
  kindIdPattern,
  OPERATOR_ID,
  SEMVER,
  SEMVER_RANGE,
  SNAKE_CASE,
  WORKER_PACK_ID,
} from "./grammar.js";

const VALID_VERSIONS = [
  "0.0.0",
  "1.2.3",
  "10.20.30",
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-0.3.7",
  "1.0.0-x.7.z.92",
  "1.0.0-x-y-z.--",
  "1.0.0-alpha+001",
  "1.0.0+20130313144700",
  "1.0.0-beta+exp.sha.5114f85",
  "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
  "1.2.3-beta.1a",
  "1.2.3+01",
  "999999999999999.0.0",
];

const INVALID_VERSIONS = [
  "",
  "1",
  "1.2",
  "1.2.3.4",
  "01.2.3",
  "1.02.3",
  "1.2.03",
  "-1.2.3",
  "1.2.-3",
  "1.2.3-",
  "1.2.3-01",
  "1.2.3-beta.01",
  "1.2.3+",
  "1.2.3-+",
  "1.2.3-alpha..1",
  "1.2.3+build..1",
  "1.2.3-alpha_beta",
  "a.b.c",
  "1.x.0",
  "9007199254740992.0.0",
  "99999999999999999999.0.0",
  `1.0.0-${"a".repeat(300)}`,
];

const VALID_RANGES = [
  "*",
  "x",
  "X",
  "1",
  "1.x",
  "1.2.x",
  "1.2.*",
  "1.X",
  "1.x.x",
  "x.x.x",
  "*.*.*",
  "^1.2.3",
  "^0.0.1",
  "~1.2.3",
  "~1.2",
  "~>1.2.3",
  ">=1.2.3",
  ">= 1.2.3",
  "=1.2.3",
  "v1.2.3",
  ">v1.2.3",
  ">=1.2.3 <2.0.0",
  ">=1 <3",
  "<1 >2",
  ">2.0.0 <1.0.0",
  "1.x || 2.x",
  "<=1.2.3 || >3",
  "^1.0.0 || ^2.0.0 || ^3.0.0",
  "1.2.3 - 2.3.4",
  "1.2 - 2",
  "1.2.3-beta - 2",
  "1.2.3-beta.1",
  "~1.2.3-beta",
  "^1.2.3-beta.1+build",
  ">=1.x",
  "~1.x",
  ">=1.0.0\t<2.0.0",
  " ^1.0.0 ",
];

const INVALID_RANGES = [
  "banana",
  "latest",
  ">=>1",
  "^^1",
  "1.2.3.4",
  "01.2.3",
  ">=01.2.3",
  "1.x.3",
  "1.*.3",
  "x.2.3",
  "1.2.3 - ",
  "- 1.2.3",
  ">=1.2.3<2",
  "1.2.3-01",
  "^1.2.3-01",
  "99999999999999999999.0.0",
  `^1.0.0-${"a".repeat(300)}`,
];

/**
 * Where the regex and `semver` part ways, the regex is the stricter side: `semver` forgives
 * what a manifest must not contain.
 */
const STRICTER_VERSIONS: Array<[string, string]> = [
  ["a leading v, which semver.valid strips", "v1.2.3"],
  ["surrounding spaces, which semver.valid trims", " 1.2.3 "],
  ["a trailing newline, which semver.valid trims", "1.2.3\n"],
  [
    "16 digits, which semver.valid takes up to 2^53 but the regex caps at 15",
    "1000000000000000.0.0",
  ],
];

const STRICTER_RANGES: Array<[string, string]> = [
  ["an empty range, which semver.validRange reads as *", ""],
  ["a dangling ||, which semver.validRange reads as *", "^1.0.0 ||"],
  ["a leading ||, which semver.validRange reads as *", "|| ^1.0.0"],
  ["a pre-release on a wildcard version, which semver.validRange ignores", "1.2.x-beta"],
  ["a range longer than 256 characters", `>=1.0.0 ${"<2.0.0 ".repeat(40)}`],
];

describe("SEMVER", () => {
  it.each(VALID_VERSIONS)("accepts %j, as semver.valid does", (version) => {
    expect(SEMVER.test(version)).toBe(true);
    expect(semver.valid(version)).not.toBeNull();
  });

  it.each(INVALID_VERSIONS)("rejects %j, as semver.valid does", (version) => {
    expect(SEMVER.test(version)).toBe(false);
    expect(semver.valid(version)).toBeNull();
  });

  it.each(STRICTER_VERSIONS)("is stricter than semver.valid on %s", (_reason, version) => {
    expect(SEMVER.test(version)).toBe(false);
    expect(semver.valid(version)).not.toBeNull();
  });

  it("never accepts a version semver.valid rejects", () => {
    const unanchoredLength = new RegExp(SEMVER.source.replace("(?=.{1,256}$)", ""));
    fc.assert(
      fc.property(fc.stringMatching(unanchoredLength), (version) => {
        expect(semver.valid(version) !== null || !SEMVER.test(version)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("SEMVER_RANGE", () => {
  it.each(VALID_RANGES)("accepts %j, as semver.validRange does", (range) => {
    expect(SEMVER_RANGE.test(range)).toBe(true);
    expect(semver.validRange(range)).not.toBeNull();
  });

  it.each(INVALID_RANGES)("rejects %j, as semver.validRange does", (range) => {
    expect(SEMVER_RANGE.test(range)).toBe(false);
    expect(semver.validRange(range)).toBeNull();
  });

  it.each(STRICTER_RANGES)("is stricter than semver.validRange on %s", (_reason, range) => {
    expect(SEMVER_RANGE.test(range)).toBe(false);
    expect(semver.validRange(range)).not.toBeNull();
  });

  it("never accepts a range semver.validRange rejects", () => {
    const unanchoredLength = new RegExp(SEMVER_RANGE.source.replace("(?=.{1,256}$)", ""));
    fc.assert(
      fc.property(fc.stringMatching(unanchoredLength), (range) => {
        expect(semver.validRange(range) !== null || !SEMVER_RANGE.test(range)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("identifier grammars", () => {
  it.each([
    [
      SNAKE_CASE,
      ["forward_email", "a", "m365", "send_v2"],
      ["Forward", "forward-email", "_x", "x_", "a__b", "1a", ""],
    ],
    [KEBAB_SEGMENT, ["gmail-credentials", "a", "step-2"], ["Gmail", "a--b", "-a", "a-", "a_b", ""]],
    [
      WORKER_PACK_ID,
      ["follow_up_v1", "proposal_v12"],
      ["follow_up", "follow_up_v0", "follow_up_v01", "v1", "Follow_v1"],
    ],
    [
      OPERATOR_ID,
      ["comms.callCount", "crm-sync.dealWon"],
      ["comms", "comms.CallCount", "comms.call_count", "Comms.x"],
    ],
  ])("%s accepts its examples and rejects near misses", (pattern, valid, invalid) => {
    for (const value of valid) expect(pattern.test(value), value).toBe(true);
    for (const value of invalid) expect(pattern.test(value), value).toBe(false);
  });

  it("builds kind id patterns from a prefix and a number of required and optional segments", () => {
    const pattern = kindIdPattern("worker-pack", 1, 1);
    expect(pattern.test("worker-pack.follow-up")).toBe(true);
    expect(pattern.test("worker-pack.follow-up.beta")).toBe(true);
    expect(pattern.test("worker-pack.follow-up.beta.two")).toBe(false);
    expect(pattern.test("worker-pack")).toBe(false);
    expect(pattern.test("workerXpack.follow-up")).toBe(false);
  });

  it("treats a dot in a kind prefix literally", () => {
    const pattern = kindIdPattern("acme.fax", 1);
    expect(pattern.test("acme.fax.phaxio")).toBe(true);
    expect(pattern.test("acmeXfax.phaxio")).toBe(false);
  });

  it("writes every pattern so that it also compiles with the u flag JSON Schema validators use", () => {
    for (const pattern of [
      SEMVER,
      SEMVER_RANGE,
      SNAKE_CASE,
      KEBAB_SEGMENT,
      WORKER_PACK_ID,
      OPERATOR_ID,
      kindIdPattern("worker-pack", 1, 1),
    ]) {
      expect(() => new RegExp(pattern.source, "u")).not.toThrow();
    }
  });
});
