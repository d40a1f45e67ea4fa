import {
  EventListResponseWireSchema,
  PluginChangeResultWireSchema,
  PluginHealthResponseWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtExample } from "./example-packages.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const PACKAGE = "@plugboard-examples/ip-allowlist-hook";
const HOOK = "hook.ip-allowlist";
const TOKEN = "pm-token-allowlist-8Kd2-shared-secret";

describe("the IP allowlist example hook, installed from its package", { timeout: 30_000 }, () => {
  let server: RunningControlPlane;
  // The config revision the next write expects in If-Match.
  let revision = 0;
  let deliveries = 0;

  beforeAll(async () => {
    server = await startControlPlane("example-ip-allowlist-hook", {
      PLUGBOARD_INSTALL_ALLOWLIST: "@plugboard-examples/*",
    });
    await storePostmarkToken(server, TOKEN);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Posts a Postmark webhook from this test, that is from 127.0.0.1. */
  const deliver = (headers: Record<string, string> = {}) => {
    deliveries += 1;
    const messageId = `pm-allowlist-${deliveries}`;
    return {
      messageId,
      response: sendWebhook(server, POSTMARK, {
        body: postmarkMessage(messageId),
        headers: { authorization: `Bearer ${TOKEN}`, ...headers },
      }),
    };
  };
  const configure = (config: Record<string, unknown>, ifMatch = revision) =>
    server.request("PUT", `/v1/plugins/${HOOK}/config`, {
      body: { config },
      headers: { "if-match": `"${ifMatch}"` },
    });
  const allow = async (allowedAddresses: string[]) => {
    const response = await configure({ allowedAddresses });
    expect(response.status, await response.clone().text()).toBe(200);
    revision += 1;
  };
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const expectRefused = async (response: Response) => {
    expect(response.status).toBe(403);
    const refusal = await problem(response);
    expect(refusal.code).toBe("PLUGBOARD_HOOK_BLOCKED");
    expect(refusal.errors).toEqual([
      {
        path: HOOK,
        code: "address_not_allowed",
        message: "webhooks from 127.0.0.1 are not accepted: the address is not on the allowlist",
      },
    ]);
  };
  const storedIds = async () => {
    const response = await server.request("GET", `/v1/events?plugin=${POSTMARK}`);
    return EventListResponseWireSchema.parse(await response.json()).events.map(
      (event) => event.provider_event_id,
    );
  };
  const runtime = async () => {
    const response = await server.request("GET", `/v1/plugins/${HOOK}/health`);
    expect(response.status).toBe(200);
    return PluginHealthResponseWireSchema.parse(await response.json()).runtime;
  };

  it("installs from its package and refuses every webhook until addresses are listed", async () => {
    const { manifest, bundle } = builtExample(PACKAGE);
    const installed = await server.request("POST", "/v1/plugins", { body: { manifest, bundle } });
    expect(installed.status, await installed.clone().text()).toBe(201);
    const result = PluginChangeResultWireSchema.parse(await installed.json());
    expect(result.runtime).toMatchObject({ mode: "sandbox", state: "running", healthy: true });
    expect((await runtime()).last_probe?.message).toBe(
      "no address is allowed: every webhook is refused",
    );

    const { messageId, response } = deliver();
    await expectRefused(await response);
    expect(await storedIds()).not.toContain(messageId);
  });

  it("lets a webhook in once its address is in a listed range", async () => {
    await allow(["203.0.113.0/24", "127.0.0.0/8"]);
    const { messageId, response } = deliver();
    const accepted = await response;
    expect(accepted.status).toBe(202);
    expect((await acknowledgement(accepted)).duplicate).toBe(false);
    expect(await storedIds()).toContain(messageId);
    expect((await runtime()).last_probe?.message).toBe("webhooks are accepted from 2 entries");
  });

  it("refuses the next webhook once the list no longer covers it, whatever header the sender adds", async () => {
    await allow(["10.0.0.0/8", "2001:db8::/32", "::1", "::ffff:192.0.2.0/120"]);
    await expectRefused(await deliver().response);
    // The host sets the address header itself: a sender cannot claim a listed address.
    await expectRefused(await deliver({ "x-plugboard-client-ip": "10.1.2.3" }).response);
  });

  it("takes an IPv4 address written in its IPv4-mapped IPv6 form", async () => {
    await allow(["::ffff:127.0.0.1"]);
    expect((await deliver().response).status).toBe(202);
  });

  it("refuses a config that is not a list of strings, naming the field, and keeps the list", async () => {
    const text = await configure({ allowedAddresses: "127.0.0.1" });
    expect(text.status).toBe(422);
    expect((await problem(text)).errors).toEqual([
      expect.objectContaining({ path: "config.allowedAddresses", code: "invalid_type" }),
    ]);
    const number = await configure({ allowedAddresses: ["10.0.0.0/8", 7] });
    expect(number.status).toBe(422);
    expect((await problem(number)).errors).toEqual([
      expect.objectContaining({ path: "config.allowedAddresses[1]", code: "invalid_type" }),
    ]);
    const misspelt = await configure({ allowedAdresses: ["10.0.0.0/8"] });
    expect(misspelt.status).toBe(422);
    expect((await problem(misspelt)).errors).toEqual([
      expect.objectContaining({ path: "config.allowedAdresses", code: "unrecognized_key" }),
    ]);
    const stale = await configure({ allowedAddresses: ["10.0.0.0/8"] }, revision - 1);
    expect(stale.status).toBe(409);
    expect((await deliver().response).status).toBe(202);
  });

  it("refuses a list its setup rejects, storing nothing and keeping the previous list running", async () => {
    const refused = await configure({ allowedAddresses: ["10.0.0.0/8", "10.0.0.0/33"] });
    expect(refused.status).toBe(422);
    const refusal = await problem(refused);
    expect(refusal.code).toBe("PLUGBOARD_PLUGIN_START_FAILED");
    expect(refusal.errors[0]).toEqual({
      path: "config",
      code: "setup_failed",
      message:
        'AllowlistError: allowedAddresses[1]: "10.0.0.0/33" has a prefix length that is not a number from 0 to 32',
    });
    expect(refusal.detail).toContain("0.1.0 keeps running");
    const stored = await server.request("GET", `/v1/plugins/${HOOK}/config`);
    expect(stored.headers.get("etag")).toBe(`"${revision}"`);
    expect((await runtime()).detail).toBeNull();
    expect((await deliver().response).status).toBe(202);

    // What runs after a restart is what was stored: the list that was accepted.
    await server.restart();
    expect((await deliver().response).status).toBe(202);
    await allow(["10.0.0.0/8"]);
    await expectRefused(await deliver().response);
  });
});
