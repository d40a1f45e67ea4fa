import { describe, expect, it } from "vitest";
import { PlugboardError } from "./errors.js";
import {
  type Permission,
  PermissionStringSchema,
  parsePermission,
  permits,
  subjectCovers,
} from "./permissions.js";

describe("parsePermission", () => {
  it.each<[string, Permission]>([
    [
      "network:outbound:api.example.com",
      { resource: "network", access: "outbound", host: "api.example.com" },
    ],
    [
      "network:outbound:api.example.com:8443",
      { resource: "network", access: "outbound", host: "api.example.com", port: 8443 },
    ],
    [
      "network:outbound:localhost:1",
      { resource: "network", access: "outbound", host: "localhost", port: 1 },
    ],
    [
      "network:outbound:smtp.example.org:65535",
      { resource: "network", access: "outbound", host: "smtp.example.org", port: 65535 },
    ],
    ["network:inbound", { resource: "network", access: "inbound" }],
    [
      "event:publish:comms.sms.sent",
      { resource: "event", access: "publish", subject: "comms.sms.sent" },
    ],
    ["event:subscribe:comms.*", { resource: "event", access: "subscribe", subject: "comms.*" }],
    ["event:subscribe:comms.>", { resource: "event", access: "subscribe", subject: "comms.>" }],
    ["event:publish:>", { resource: "event", access: "publish", subject: ">" }],
    ["event:publish:*.sms.*", { resource: "event", access: "publish", subject: "*.sms.*" }],
    ["data:read:contacts", { resource: "data", access: "read", entity: "contacts" }],
    ["data:write:deal_stages", { resource: "data", access: "write", entity: "deal_stages" }],
    ["storage:read", { resource: "storage", access: "read" }],
    ["storage:write", { resource: "storage", access: "write" }],
  ])("takes %s apart", (value, expected) => {
    expect(parsePermission(value)).toStrictEqual(expected);
    expect(PermissionStringSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ["a resource outside the grammar", "file:read:/etc/passwd"],
    ["an access outside the grammar", "storage:delete"],
    ["an empty host", "network:outbound:"],
    ["an uppercase host", "network:outbound:API.example.com"],
    ["a wildcard host", "network:outbound:*.example.com"],
    ["a bare wildcard host", "network:outbound:*"],
    ["a scheme in the host", "network:outbound:https://api.example.com"],
    ["a path after the host", "network:outbound:api.example.com/v1"],
    ["a host label starting with a hyphen", "network:outbound:-api.example.com"],
    ["an empty host label", "network:outbound:api..example.com"],
    ["port 0", "network:outbound:api.example.com:0"],
    ["port 65536", "network:outbound:api.example.com:65536"],
    ["port 70000", "network:outbound:api.example.com:70000"],
    ["a port with a leading zero", "network:outbound:api.example.com:0443"],
    ["an empty port", "network:outbound:api.example.com:"],
    ["a target on network:inbound", "network:inbound:api.example.com"],
    ["an empty subject", "event:publish:"],
    ["a subject with an empty token", "event:publish:comms..sms"],
    ["a subject ending in a dot", "event:publish:comms."],
    ["a `>` that is not the last token", "event:subscribe:comms.>.sent"],
    ["a `*` inside a token", "event:subscribe:comms.sms*"],
    ["a `>` inside a token", "event:subscribe:comms.sms>"],
    ["an entity in uppercase", "data:read:Contacts"],
    ["an empty entity", "data:read:"],
    ["a wildcard entity", "data:read:*"],
    ["a target on storage", "storage:read:carts"],
    ["surrounding spaces", " storage:read"],
    ["an empty string", ""],
  ])("rejects %s", (_label, value) => {
    let thrown: unknown;
    try {
      parsePermission(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlugboardError);
    expect((thrown as PlugboardError).code).toBe("PLUGBOARD_PERMISSION_INVALID");
    expect((thrown as PlugboardError).message).toContain(
      `"${value}" is not a permission: expected one of`,
    );
    expect(PermissionStringSchema.safeParse(value).success).toBe(false);
  });
});

describe("subjectCovers", () => {
  it.each<[string, string, boolean]>([
    ["comms.sms", "comms.sms", true],
    ["comms.sms", "comms.voice", false],
    ["comms.*", "comms.sms", true],
    ["comms.*", "comms.sms.sent", false],
    ["comms.*", "comms", false],
    ["comms.*.sent", "comms.sms.sent", true],
    ["comms.*.sent", "comms.sms.failed", false],
    ["comms.>", "comms.sms", true],
    ["comms.>", "comms.sms.sent", true],
    ["comms.>", "comms", false],
    [">", "anything.at.all", true],
    ["comms.>", "comms.*", true],
    ["comms.>", "comms.*.sent", true],
    ["comms.>", "comms.>", true],
    ["comms.*", "comms.>", false],
    ["comms.*", "comms.*", true],
    ["comms.sms", "comms.*", false],
    ["*", ">", false],
  ])("%s covers %s: %s", (granted, requested, expected) => {
    expect(subjectCovers(granted, requested)).toBe(expected);
  });
});

describe("permits", () => {
  it("lets a subject wildcard cover one token and `>` one or more trailing tokens", () => {
    expect(permits(["event:publish:comms.*"], "event:publish:comms.sms")).toBe(true);
    expect(permits(["event:publish:comms.*"], "event:publish:comms.sms.sent")).toBe(false);
    expect(permits(["event:publish:comms.>"], "event:publish:comms.sms.sent")).toBe(true);
    expect(permits(["event:publish:comms.>"], "event:publish:comms")).toBe(false);
  });

  it("lets `comms.>` cover the pattern `comms.*` but not the other way round", () => {
    expect(permits(["event:subscribe:comms.>"], "event:subscribe:comms.*")).toBe(true);
    expect(permits(["event:subscribe:comms.*"], "event:subscribe:comms.>")).toBe(false);
  });

  it("keeps publish and subscribe apart", () => {
    expect(permits(["event:publish:comms.>"], "event:subscribe:comms.sms")).toBe(false);
    expect(permits(["event:subscribe:>"], "event:publish:comms.sms")).toBe(false);
  });

  it("matches an outbound host exactly, never a subdomain or a look-alike", () => {
    const granted = ["network:outbound:api.example.com"];
    expect(permits(granted, "network:outbound:api.example.com")).toBe(true);
    expect(permits(granted, "network:outbound:evil.api.example.com")).toBe(false);
    expect(permits(granted, "network:outbound:api.example.com.evil.net")).toBe(false);
    expect(permits(granted, "network:outbound:example.com")).toBe(false);
  });

  it("matches an outbound port exactly, with no port meaning no explicit port", () => {
    expect(
      permits(["network:outbound:api.example.com:8443"], "network:outbound:api.example.com:8443"),
    ).toBe(true);
    expect(
      permits(["network:outbound:api.example.com:8443"], "network:outbound:api.example.com"),
    ).toBe(false);
    expect(
      permits(["network:outbound:api.example.com"], "network:outbound:api.example.com:8443"),
    ).toBe(false);
  });

  it("keeps inbound and outbound network access apart", () => {
    expect(permits(["network:inbound"], "network:inbound")).toBe(true);
    expect(permits(["network:inbound"], "network:outbound:api.example.com")).toBe(false);
    expect(permits(["network:outbound:api.example.com"], "network:inbound")).toBe(false);
  });

  it("matches a data entity exactly and keeps read and write apart", () => {
    expect(permits(["data:read:contacts"], "data:read:contacts")).toBe(true);
    expect(permits(["data:read:contacts"], "data:read:companies")).toBe(false);
    expect(permits(["data:read:contacts"], "data:write:contacts")).toBe(false);
    expect(permits(["data:write:contacts"], "data:read:contacts")).toBe(false);
  });

  it("keeps storage read and write apart", () => {
    expect(permits(["storage:read"], "storage:read")).toBe(true);
    expect(permits(["storage:read"], "storage:write")).toBe(false);
    expect(permits(["storage:write"], "storage:read")).toBe(false);
  });

  it("never lets one resource stand in for another", () => {
    const everything = [
      "network:outbound:api.example.com",
      "network:inbound",
      "event:publish:>",
      "event:subscribe:>",
      "data:read:contacts",
      "storage:write",
    ];
    expect(permits(everything, "storage:read")).toBe(false);
    expect(permits(everything, "data:write:contacts")).toBe(false);
  });

  it("grants nothing from an empty list", () => {
    expect(permits([], "network:outbound:api.example.com")).toBe(false);
    expect(permits([], "storage:read")).toBe(false);
  });

  it("grants nothing from malformed grants, even ones that look broad", () => {
    for (const granted of [
      "network:outbound:*",
      "network:outbound:*.example.com",
      "event:publish:comms..>",
      "event:publish:",
      "data:read:*",
      "storage:*",
      "*",
    ]) {
      expect(permits([granted], "network:outbound:api.example.com")).toBe(false);
      expect(permits([granted], "event:publish:comms.sms")).toBe(false);
      expect(permits([granted], "data:read:contacts")).toBe(false);
      expect(permits([granted], "storage:read")).toBe(false);
    }
  });

  it("permits nothing that is itself malformed", () => {
    expect(permits(["event:publish:>"], "event:publish:")).toBe(false);
    expect(permits(["network:outbound:api.example.com"], "network:outbound:API.example.com")).toBe(
      false,
    );
  });
});
