import {
  AuditListResponseWireSchema,
  ProblemDetailsWireSchema,
  TokenCreateResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

describe("GET /v1/audit", () => {
  let server: RunningControlPlane;
  const created: string[] = [];
  beforeAll(async () => {
    server = await startControlPlane("audit");
    for (const name of ["one", "two", "three", "four", "five"]) {
      const response = await server.request("POST", "/v1/tokens", {
        body: { name, scopes: ["admin:plugins:read"] },
      });
      created.push(TokenCreateResponseWireSchema.parse(await response.json()).summary.id);
    }
  });
  afterAll(() => server.stop());

  const page = async (query: string) => {
    const response = await server.request("GET", `/v1/audit${query}`);
    expect(response.status).toBe(200);
    return AuditListResponseWireSchema.parse(await response.json());
  };

  it("lists mutations newest first with their actor, action and target", async () => {
    const { entries } = await page("?limit=5");
    expect(entries.map((entry) => entry.target)).toEqual([...created].reverse());
    expect(entries[0]).toMatchObject({
      actor: "admin",
      action: "token.create",
      detail: { name: "five", scopes: ["admin:plugins:read"] },
    });
  });

  it("pages through every entry exactly once by following next_cursor", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const result = await page(query);
      seen.push(...result.entries.map((entry) => entry.id));
      cursor = result.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(5);
  });

  it("filters by action, target and actor", async () => {
    expect((await page(`?target=${created[1]}`)).entries.map((e) => e.target)).toEqual([
      created[1],
    ]);
    expect((await page("?action=token.revoke")).entries).toEqual([]);
    expect((await page("?actor=admin&limit=200")).entries).toHaveLength(5);
  });

  it("refuses a cursor it did not issue and a limit out of range, naming the parameter", async () => {
    for (const [query, path] of [
      ["?cursor=bm90LWEtY3Vyc29y", "cursor"],
      ["?cursor=***", "cursor"],
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?limit=ten", "limit"],
      ["?order=asc", ""],
    ] as const) {
      const response = await server.request("GET", `/v1/audit${query}`);
      expect(response.status, query).toBe(400);
      const problem = ProblemDetailsWireSchema.parse(await response.json());
      expect(
        problem.errors.map((e) => e.path),
        query,
      ).toContain(path);
    }
  });

  it("keeps the log across a restart", async () => {
    await server.restart();
    expect((await page("?limit=200")).entries).toHaveLength(5);
  });
});
