import {
  ProblemDetailsWireSchema,
  TokenCreateResponseWireSchema,
  TokenListResponseWireSchema,
  TokenSummaryWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/audit/audit-log.js";
import { openDatabase } from "../src/store/database.js";
import {
  ADMIN_TOKEN,
  type RunningControlPlane,
  startControlPlane,
} from "./running-control-plane.js";

describe("token routes", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("tokens");
  });
  afterAll(() => server.stop());

  const call = (method: string, path: string, token: string, body?: unknown) =>
    server.request(method, path, { token, body });

  const create = async (scopes: string[]) => {
    const response = await call("POST", "/v1/tokens", ADMIN_TOKEN, { name: "ci reader", scopes });
    expect(response.status).toBe(201);
    return TokenCreateResponseWireSchema.parse(await response.json());
  };

  it("creates a token that works with exactly its scopes", async () => {
    const { token, summary } = await create(["admin:plugins:read"]);
    expect(token).toMatch(/^pbt_/);
    expect(summary.scopes).toEqual(["admin:plugins:read"]);
    expect((await call("GET", "/v1/registry", token)).status).toBe(200);
    const denied = await call("POST", "/v1/tokens", token, {
      name: "x",
      scopes: ["tokens:manage"],
    });
    expect(denied.status).toBe(403);
  });

  it("lists tokens without their secrets or hashes", async () => {
    const { token } = await create(["actions:review"]);
    const response = await call("GET", "/v1/tokens", ADMIN_TOKEN);
    const text = await response.text();
    const { tokens } = TokenListResponseWireSchema.parse(JSON.parse(text));
    expect(tokens.map((t) => t.id)).toContain("admin");
    expect(text).not.toContain(token);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toMatch(/"hash"/);
  });

  it("revokes a token so it stops working, and audits who did it", async () => {
    const { token, summary } = await create(["admin:plugins:read"]);
    const response = await call("DELETE", `/v1/tokens/${summary.id}`, ADMIN_TOKEN);
    expect(response.status).toBe(200);
    expect(TokenSummaryWireSchema.parse(await response.json()).revoked_at).not.toBeNull();
    expect((await call("GET", "/v1/registry", token)).status).toBe(401);

    const database = openDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    const { entries } = await listAudit(database.db, { limit: 50 });
    await database.close();
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: "admin", action: "token.revoke", target: summary.id }),
    );
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it("answers 404 when revoking an unknown or already revoked token", async () => {
    expect((await call("DELETE", "/v1/tokens/no-such-token", ADMIN_TOKEN)).status).toBe(404);
    const { summary } = await create(["admin:plugins:read"]);
    await call("DELETE", `/v1/tokens/${summary.id}`, ADMIN_TOKEN);
    expect((await call("DELETE", `/v1/tokens/${summary.id}`, ADMIN_TOKEN)).status).toBe(404);
  });

  it.each([
    ["an unknown scope", { name: "x", scopes: ["root"] }, "scopes.0"],
    ["no scopes", { name: "x", scopes: [] }, "scopes"],
    ["a missing name", { scopes: ["actions:review"] }, "name"],
  ])("rejects %s with a 422 naming the field", async (_label, body, path) => {
    const response = await call("POST", "/v1/tokens", ADMIN_TOKEN, body);
    expect(response.status).toBe(422);
    expect(
      ProblemDetailsWireSchema.parse(await response.json()).errors.map((e) => e.path),
    ).toContain(path);
  });
});
