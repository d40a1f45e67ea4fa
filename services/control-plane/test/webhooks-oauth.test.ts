import { randomBytes } from "node:crypto";
import {
  AuditListResponseWireSchema,
  OAuthStateWireSchema,
  PluginSecretsResponseWireSchema,
  ProblemDetailsWireSchema,
  TokenCreateResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAesGcmVault, loadVaultKey } from "../src/secrets/aes-gcm-vault.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";
import {
  acknowledgement,
  OAUTH,
  oauthReturnAdapter,
  POSTMARK,
  postmarkMessage,
  type RecordingBus,
  recordingBus,
  sendWebhook,
} from "./webhook-fixtures.js";

const OTHER_OAUTH = "ingress.acme.oauth-return-eu";
const CODE_KEY = "oauth_authorization_code";
const BODY_LIMIT = 65_536;

describe("OAuth callbacks", () => {
  let server: RunningControlPlane;
  let recorded: RecordingBus;
  beforeAll(async () => {
    recorded = await recordingBus();
    server = await startControlPlane(
      "webhooks-oauth",
      { PLUGBOARD_WEBHOOK_BODY_LIMIT: String(BODY_LIMIT) },
      { eventBus: recorded.bus },
    );
    for (const manifest of [oauthReturnAdapter(), oauthReturnAdapter(OTHER_OAUTH)]) {
      const installed = await server.request("POST", "/v1/plugins", { body: { manifest } });
      expect(installed.status).toBe(201);
    }
  });
  afterAll(async () => {
    await server.stop();
    await recorded.bus.close();
  });

  /** Issues a state through the API; the state must never reach the log. */
  const issue = async (pluginId: string, body: Record<string, unknown> = {}) => {
    const response = await server.request("POST", `/v1/plugins/${pluginId}/oauth-states`, {
      body,
    });
    expect(response.status).toBe(201);
    const issued = OAuthStateWireSchema.parse(await response.json());
    server.forbidInLog(issued.state);
    return issued;
  };
  /** A fresh authorisation code, which must never reach the log or an event. */
  const newCode = () => {
    const code = `acme-code-${randomBytes(12).toString("hex")}`;
    server.forbidInLog(code);
    return code;
  };
  /** The redirect a browser follows back from the authorisation server. */
  const redirect = (pluginId: string, params: Record<string, string>) =>
    server.request("GET", `/webhooks/${pluginId}?${new URLSearchParams(params)}`, {
      token: null,
    });
  const problem = async (response: Response) =>
    ProblemDetailsWireSchema.parse(await response.json());
  const storedEvents = (pluginId: string) =>
    withServerDatabase(server, (db) =>
      db.selectFrom("ingress_events").selectAll().where("plugin_id", "=", pluginId).execute(),
    );
  const storedCode = () =>
    withServerDatabase(server, async (db) => {
      const row = await db
        .selectFrom("secrets")
        .select("sealed")
        .where("plugin_id", "=", OAUTH)
        .where("key", "=", CODE_KEY)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const vault = createAesGcmVault(loadVaultKey(server.dataDir, undefined));
      return { sealed: row.sealed, opened: vault.open(OAUTH, CODE_KEY, row.sealed) };
    });

  it("issues a state with its callback URL and expiry to an admin token, audited without the state", async () => {
    const before = Date.now();
    const issued = await issue(OAUTH);
    expect(issued.plugin_id).toBe(OAUTH);
    expect(issued.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.callback_url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/webhooks/${OAUTH}$`),
    );
    const expires = Date.parse(issued.expires_at) - before;
    expect(expires).toBeGreaterThan(599_000);
    expect(expires).toBeLessThan(601_000 + (Date.now() - before));
    const short = await issue(OAUTH, { ttl_seconds: 120 });
    expect(Date.parse(short.expires_at) - Date.now()).toBeLessThanOrEqual(120_000);

    const audit = await server.request("GET", `/v1/audit?target=${OAUTH}&action=oauth_state.issue`);
    const entries = AuditListResponseWireSchema.parse(await audit.json()).entries;
    expect(entries.map((entry) => entry.actor)).toEqual(["admin", "admin"]);
    expect(entries.map((entry) => entry.detail)).toContainEqual(
      expect.objectContaining({ stateId: issued.id }),
    );
    expect(JSON.stringify(entries)).not.toContain(issued.state);

    const created = await server.request("POST", "/v1/tokens", {
      body: { name: "reviewer", scopes: ["actions:review"] },
    });
    const reviewer = TokenCreateResponseWireSchema.parse(await created.json()).token;
    const forbidden = await server.request("POST", `/v1/plugins/${OAUTH}/oauth-states`, {
      token: reviewer,
      body: {},
    });
    expect(forbidden.status).toBe(403);
  });

  it("refuses to issue a state for an adapter without OAuth callbacks, an unknown plugin or a bad lifetime", async () => {
    const shared = await server.request("POST", `/v1/plugins/${POSTMARK}/oauth-states`, {
      body: {},
    });
    expect(shared.status).toBe(409);
    expect((await problem(shared)).errors[0]).toMatchObject({
      path: "id",
      code: "not_oauth_callback",
    });
    const unknown = await server.request("POST", "/v1/plugins/ingress.acme.absent/oauth-states", {
      body: {},
    });
    expect(unknown.status).toBe(404);
    const brief = await server.request("POST", `/v1/plugins/${OAUTH}/oauth-states`, {
      body: { ttl_seconds: 5 },
    });
    expect(brief.status).toBe(422);
    expect((await problem(brief)).errors[0]?.path).toBe("ttl_seconds");
  });

  it("accepts the GET redirect with an issued state once, keeps the code sealed, and puts no code in the event", async () => {
    const issued = await issue(OAUTH);
    const code = newCode();
    const first = await redirect(OAUTH, { code, state: issued.state, scope: "orders.read" });
    expect(first.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(first);
    expect(await recorded.delivered(eventId)).toMatchObject({
      type: "route.acme_authorization",
      source: OAUTH,
      data: { stateId: issued.id, codeReceived: true, scope: "orders.read" },
    });
    const stored = await storedCode();
    expect(stored?.opened).toBe(code);
    expect(stored?.sealed).not.toContain(code);
    const secrets = await server.request("GET", `/v1/plugins/${OAUTH}/secrets`);
    expect(PluginSecretsResponseWireSchema.parse(await secrets.json()).secrets).toEqual([
      expect.objectContaining({ key: CODE_KEY, set: true }),
    ]);

    const again = await redirect(OAUTH, { code, state: issued.state });
    expect(again.status).toBe(401);
    const details = await problem(again);
    expect(details.code).toBe("PLUGBOARD_WEBHOOK_STATE_INVALID");
    expect(details.errors[0]).toMatchObject({ path: "query.state", code: "state_used" });

    const events = await server.request("GET", `/v1/events?plugin=${OAUTH}`);
    const listed = await events.text();
    expect(listed).toContain(eventId);
    expect(listed).not.toContain(code);
    expect(listed).not.toContain(issued.state);
    expect(await storedEvents(OAUTH)).toHaveLength(1);
  });

  it("accepts a form_post callback with the state in its body, and an error response without a code", async () => {
    const posted = await issue(OAUTH);
    const code = newCode();
    const response = await sendWebhook(server, OAUTH, {
      body: new URLSearchParams({ code, state: posted.state }).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(202);
    const { event_id: eventId } = await acknowledgement(response);
    const event = await recorded.delivered(eventId);
    expect(event.data).toEqual({ stateId: posted.id, codeReceived: true });
    expect((await storedCode())?.opened).toBe(code);

    const denied = await issue(OAUTH);
    const refusal = await redirect(OAUTH, { error: "access_denied", state: denied.state });
    expect(refusal.status).toBe(202);
    const { event_id: deniedId } = await acknowledgement(refusal);
    expect((await recorded.delivered(deniedId)).data).toEqual({
      stateId: denied.id,
      codeReceived: false,
      error: "access_denied",
    });
    // An error response carries no code: the one stored before stays.
    expect((await storedCode())?.opened).toBe(code);
  });

  it("refuses unknown, expired, other-adapter and missing states with 401, storing nothing", async () => {
    const expired = await issue(OAUTH, { ttl_seconds: 60 });
    await withServerDatabase(server, (db) =>
      db
        .updateTable("oauth_states")
        .set({ expires_at: new Date(Date.now() - 1_000).toISOString() })
        .where("id", "=", expired.id)
        .execute(),
    );
    const elsewhere = await issue(OTHER_OAUTH);
    const before = (await storedEvents(OAUTH)).length;
    const cases: Array<[Record<string, string>, string]> = [
      [{ state: randomBytes(32).toString("base64url") }, "state_unknown"],
      [{ state: "not-a-state" }, "state_unknown"],
      [{ state: expired.state }, "state_expired"],
      [{ state: elsewhere.state }, "state_mismatch"],
      [{}, "state_missing"],
    ];
    for (const [params, reason] of cases) {
      const response = await redirect(OAUTH, { code: newCode(), ...params });
      expect(response.status, reason).toBe(401);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const details = await problem(response);
      expect(details.code).toBe("PLUGBOARD_WEBHOOK_STATE_INVALID");
      expect(details.errors[0]).toMatchObject({ path: "query.state", code: reason });
    }
    expect(await storedEvents(OAUTH)).toHaveLength(before);
    // Offered to the wrong adapter, the state was not used up: its own adapter takes it.
    const own = await redirect(OTHER_OAUTH, { code: newCode(), state: elsewhere.state });
    expect(own.status).toBe(202);
  });

  it("refuses a query string before reading the body everywhere but an OAuth adapter's GET redirect", async () => {
    const queryToken = "pm-query-token-7Wd3-never-logged";
    server.forbidInLog(queryToken);
    const oversized = await sendWebhook(server, POSTMARK, {
      body: postmarkMessage("pm-query-oversized", "x".repeat(BODY_LIMIT)),
      query: `?token=${queryToken}`,
    });
    expect(oversized.status).toBe(400);
    expect((await problem(oversized)).code).toBe("PLUGBOARD_WEBHOOK_QUERY_REFUSED");
    const issued = await issue(OAUTH);
    const refusals = [
      await server.request("GET", `/webhooks/${POSTMARK}?code=c&state=${issued.state}`, {
        token: null,
      }),
      await sendWebhook(server, OAUTH, {
        body: new URLSearchParams({ state: issued.state }).toString(),
        contentType: "application/x-www-form-urlencoded",
        query: `?state=${issued.state}`,
      }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const details = await problem(response);
      expect(details.code).toBe("PLUGBOARD_WEBHOOK_QUERY_REFUSED");
      expect(details.errors[0]?.path).toBe("query");
    }
    const get = await server.request("GET", `/webhooks/${POSTMARK}`, { token: null });
    expect(get.status).toBe(404);
    // None of these used the state up.
    expect((await redirect(OAUTH, { code: newCode(), state: issued.state })).status).toBe(202);
  });
});
