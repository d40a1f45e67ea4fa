import { EventListResponseWireSchema, PluginHealthResponseWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACME_ALLOWLIST, codeHook, installedCodePlugin, pluginModule } from "./code-plugins.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  acknowledgement,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const TOKEN = "pm-token-swap-9Kd1-shared-secret";
const HOOK = "hook.acme-stamp";
const SENDERS = 6;

/** A hook that stamps the subject of every Postmark webhook with its own version. */
function stamp(version: string) {
  return pluginModule(
    HOOK,
    `return {
      run(request) {
        return { action: "modify", body: { ...request.body, Subject: "[${version}] " + request.body.Subject } };
      },
    };`,
  );
}

const install = (server: RunningControlPlane, version: string) =>
  installedCodePlugin(
    server,
    codeHook(HOOK, version, { ring: "ingress", timeoutMs: 2_000 }),
    stamp(version),
  );

describe("swapping a hook's versions while webhooks flow", { timeout: 60_000 }, () => {
  let server: RunningControlPlane;

  beforeAll(async () => {
    server = await startControlPlane("hot-swap-under-load", ACME_ALLOWLIST);
    await storePostmarkToken(server, TOKEN);
    await install(server, "1.0.0");
  });
  afterAll(() => server.stop());

  let sequence = 0;
  const deliver = async () => {
    const messageId = `pm-swap-${++sequence}`;
    const response = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage(messageId, "order"),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return {
      status: response.status,
      eventId: response.status === 202 ? (await acknowledgement(response)).event_id : undefined,
    };
  };
  const subjects = async () => {
    const seen = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page = await server.request(
        "GET",
        `/v1/events?plugin=${POSTMARK}&limit=200${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      const body = EventListResponseWireSchema.parse(await page.json());
      for (const event of body.events)
        seen.set(event.id, String((event.data as { subject: string }).subject));
      cursor = body.next_cursor;
    } while (cursor !== null);
    return seen;
  };

  it("answers every webhook while versions swap, each stamped by a version that was installed", async () => {
    const versions = ["1.0.0"];
    const statuses: number[] = [];
    const eventIds: string[] = [];
    let running = true;
    const senders = Array.from({ length: SENDERS }, async () => {
      while (running) {
        const { status, eventId } = await deliver();
        statuses.push(status);
        if (eventId !== undefined) eventIds.push(eventId);
      }
    });
    for (let minor = 1; minor <= 5; minor++) {
      const version = `1.${minor}.0`;
      await install(server, version);
      versions.push(version);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reloaded = await server.request("POST", `/v1/plugins/${HOOK}/reload`, { body: {} });
    expect(reloaded.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    await Promise.all(senders);

    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    const stamped = await subjects();
    const prefixes = new Set(eventIds.map((id) => /^\[(.+?)\] /.exec(stamped.get(id) ?? "")?.[1]));
    for (const prefix of prefixes) expect(versions).toContain(prefix);
    // The last version ran: the swaps took effect while the senders kept going.
    expect(prefixes).toContain("1.5.0");
  });

  it("restores the previous version's behaviour on rollback", async () => {
    const before = PluginHealthResponseWireSchema.parse(
      await (await server.request("GET", `/v1/plugins/${HOOK}/health`)).json(),
    ).runtime;
    const rolledBack = await server.request("POST", `/v1/plugins/${HOOK}/rollback`, { body: {} });
    expect(rolledBack.status).toBe(200);
    const { event_id: eventId } = await (async () => {
      const result = await deliver();
      expect(result.status).toBe(202);
      return { event_id: result.eventId ?? "" };
    })();
    expect((await subjects()).get(eventId)).toBe("[1.4.0] order");
    const after = PluginHealthResponseWireSchema.parse(
      await (await server.request("GET", `/v1/plugins/${HOOK}/health`)).json(),
    ).runtime;
    expect(after).toMatchObject({ state: "running", version: "1.4.0" });
    expect(before.version).toBe("1.5.0");
  });

  it("rolls back onto the previous generation's instance, still loaded, without loading it again", async () => {
    const runtime = async () =>
      PluginHealthResponseWireSchema.parse(
        await (await server.request("GET", `/v1/plugins/${HOOK}/health`)).json(),
      ).runtime;
    const starts = (transitions: Awaited<ReturnType<typeof runtime>>["transitions"]) =>
      transitions.filter(
        (transition) => transition.version === "1.4.0" && transition.to === "loading",
      ).length;
    await install(server, "1.6.0");
    const loadedBefore = starts((await runtime()).transitions);
    const rolledBack = await server.request("POST", `/v1/plugins/${HOOK}/rollback`, { body: {} });
    expect(rolledBack.status).toBe(200);
    const after = await runtime();
    expect(after).toMatchObject({ state: "running", version: "1.4.0" });
    expect(starts(after.transitions)).toBe(loadedBefore);
    const result = await deliver();
    expect((await subjects()).get(result.eventId ?? "")).toBe("[1.4.0] order");
  });
});
