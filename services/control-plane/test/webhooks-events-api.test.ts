import { EventListResponseWireSchema, ProblemDetailsWireSchema } from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import {
  acknowledgement,
  GMAIL,
  gmailPush,
  POSTMARK,
  postmarkMessage,
  sendWebhook,
  storePostmarkToken,
} from "./webhook-fixtures.js";

const POSTMARK_TOKEN = "pm-token-2Wx8-events-listing-secret";
const GMAIL_TOKEN = "gm-token-5Tb1-events-listing-secret";

describe("GET /v1/events", () => {
  let server: RunningControlPlane;
  const accepted: Array<{ id: string; source: string }> = [];
  beforeAll(async () => {
    server = await startControlPlane("webhooks-events-api");
    await storePostmarkToken(server, POSTMARK_TOKEN);
    await server.request("PUT", `/v1/plugins/${GMAIL}/secrets`, {
      body: { secrets: { gmail_watch_token: GMAIL_TOKEN } },
    });
    for (let n = 1; n <= 3; n++) {
      for (const [source, body, token] of [
        [POSTMARK, postmarkMessage(`pm-msg-${n}`), POSTMARK_TOKEN],
        [GMAIL, gmailPush(`gm-msg-${n}`, 2000 + n), GMAIL_TOKEN],
      ] as const) {
        const response = await sendWebhook(server, source, {
          body,
          headers: { authorization: `Bearer ${token}` },
        });
        accepted.push({ id: (await acknowledgement(response)).event_id, source });
      }
    }
  });
  afterAll(() => server.stop());

  const page = async (query: string) => {
    const response = await server.request("GET", `/v1/events${query}`);
    expect(response.status).toBe(200);
    return EventListResponseWireSchema.parse(await response.json());
  };

  it("pages through every event, newest first, with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next: Awaited<ReturnType<typeof page>> = await page(
        `?limit=4${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      seen.push(...next.events.map((event) => event.id));
      cursor = next.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(accepted.map((event) => event.id).reverse());
  });

  it("filters by adapter and by status", async () => {
    const gmail = await page(`?plugin=${GMAIL}`);
    expect(gmail.events.map((event) => event.id)).toEqual(
      accepted
        .filter((event) => event.source === GMAIL)
        .map((event) => event.id)
        .reverse(),
    );
    expect(gmail.events.every((event) => event.type === "route.watched_inbox")).toBe(true);
    expect((await page("?status=published")).events).toHaveLength(accepted.length);
    expect((await page("?status=pending")).events).toEqual([]);
  });

  it("refuses a cursor it did not issue and an unknown filter", async () => {
    for (const query of ["?cursor=bm90LWEtY3Vyc29y", "?status=lost", "?source=x"]) {
      const response = await server.request("GET", `/v1/events${query}`);
      expect(response.status).toBe(400);
      expect(ProblemDetailsWireSchema.parse(await response.json()).code).toBe(
        "PLUGBOARD_BAD_REQUEST",
      );
    }
  });

  it("requires a token with admin:plugins:read", async () => {
    expect((await server.request("GET", "/v1/events", { token: null })).status).toBe(401);
  });
});
