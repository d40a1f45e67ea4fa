import {
  ProblemDetailsWireSchema,
  WorkerInstallResultWireSchema,
  WorkerPackListResponseWireSchema,
} from "@plugboard/contracts";
import { smtpRelayProvider } from "@plugboard/plugin-manifests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failInsertsInto } from "./injected-failure.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { withServerDatabase } from "./server-database.js";

const FOLLOW_UP = { worker_pack_id: "follow_up_v1" };

describe("worker packs and worker install", () => {
  let server: RunningControlPlane;
  beforeAll(async () => {
    server = await startControlPlane("workers");
  });
  afterAll(() => server.stop());

  const listPacks = async () => {
    const response = await server.request("GET", "/v1/worker-packs");
    expect(response.status).toBe(200);
    return WorkerPackListResponseWireSchema.parse(await response.json()).worker_packs;
  };
  const install = (body: unknown, headers: Record<string, string> = {}) =>
    server.request("POST", "/v1/workers", { body, headers });
  const count = (table: "workers" | "worker_input_routes" | "worker_action_capabilities") =>
    withServerDatabase(server, async (db) => {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("rows"))
        .executeTakeFirstOrThrow();
      return Number(row.rows);
    });
  /** Stores every secret key of the SMTP relay, which makes `smtp_relay` connected. */
  const connectSmtpRelay = async () => {
    const secrets = Object.fromEntries(
      smtpRelayProvider.secretKeys.map((key) => [key, `value of ${key}`]),
    );
    const response = await server.request("PUT", `/v1/plugins/${smtpRelayProvider.id}/secrets`, {
      body: { secrets },
    });
    expect(response.status).toBe(200);
  };

  it("lists the packs with their runtime packs and what they still need", async () => {
    const packs = await listPacks();
    expect(packs.map((pack) => pack.worker_pack_id).sort()).toEqual([
      "follow_up_v1",
      "proposal_v1",
    ]);
    const followUp = packs.find((pack) => pack.worker_pack_id === "follow_up_v1");
    expect(followUp?.runtime_pack.action_capabilities).toContainEqual({
      kind: "send_email",
      default_boundary_mode: "ask_me",
    });
    expect(followUp?.availability).toEqual({
      available: false,
      missing_connection_providers: ["smtp_relay"],
    });
  });

  it("refuses to install while a required connection is missing, naming it, and creates nothing", async () => {
    const response = await install(FOLLOW_UP);
    expect(response.status).toBe(409);
    const problem = ProblemDetailsWireSchema.parse(await response.json());
    expect(problem.detail).toContain("smtp_relay");
    expect(problem.errors).toEqual([
      {
        path: "worker_pack_id",
        message: "required connection provider smtp_relay is not connected",
        code: "missing_connection",
      },
    ]);
    expect(await count("workers")).toBe(0);
  });

  it("answers 404 for an unknown pack and 422 for a malformed body", async () => {
    const unknown = await install({ worker_pack_id: "unknown_v1" });
    expect(unknown.status).toBe(404);
    expect(ProblemDetailsWireSchema.parse(await unknown.json()).errors[0]?.path).toBe(
      "worker_pack_id",
    );
    const malformed = await install({ worker_pack_id: "Follow Up", scope: "everyone" });
    expect(malformed.status).toBe(422);
    const paths = ProblemDetailsWireSchema.parse(await malformed.json())
      .errors.map((e) => e.path)
      .sort();
    expect(paths).toEqual(["scope", "worker_pack_id"]);
  });

  it("leaves no partial worker when a write fails midway", async () => {
    await connectSmtpRelay();
    const restore = await failInsertsInto(server, "worker_action_capabilities");
    try {
      const response = await install(FOLLOW_UP);
      expect(response.status).toBe(500);
    } finally {
      await restore();
    }
    expect(await count("workers")).toBe(0);
    expect(await count("worker_input_routes")).toBe(0);
  });

  it("installs in one step what the runtime pack's install plan says", async () => {
    expect(
      (await listPacks()).find((p) => p.worker_pack_id === "follow_up_v1")?.availability,
    ).toEqual({
      available: true,
      missing_connection_providers: [],
    });
    const response = await install({ ...FOLLOW_UP, name: "Acme follow-ups" });
    expect(response.status).toBe(201);
    const result = WorkerInstallResultWireSchema.parse(await response.json());
    expect(result.worker).toMatchObject({
      worker_pack_id: "follow_up_v1",
      name: "Acme follow-ups",
      scope: "shared",
    });
    expect(result.input_routes.map((route) => route.kind)).toEqual(["chat", "forward_email"]);
    expect(result.action_capabilities).toEqual([
      { kind: "send_email", boundary_mode: "ask_me" },
      { kind: "save_work", boundary_mode: "auto" },
    ]);
    expect(await count("worker_action_capabilities")).toBe(2);
  });

  it("answers a repeated Idempotency-Key with the first outcome, creating one worker", async () => {
    const before = await count("workers");
    const headers = { "idempotency-key": "install-proposal-1" };
    const body = { worker_pack_id: "proposal_v1" };
    const [first, second] = await Promise.all([install(body, headers), install(body, headers)]);
    const third = await install(body, headers);
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    const ids = await Promise.all(
      [first, second, third].map(
        async (r) => WorkerInstallResultWireSchema.parse(await r.json()).worker.id,
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await count("workers")).toBe(before + 1);
  });

  it("refuses a key reused with another body, and a malformed key", async () => {
    const reused = await install(
      { worker_pack_id: "proposal_v1", name: "Other" },
      { "idempotency-key": "install-proposal-1" },
    );
    expect(reused.status).toBe(422);
    expect(ProblemDetailsWireSchema.parse(await reused.json()).errors[0]?.path).toBe(
      "headers.idempotency-key",
    );
    const malformed = await install(FOLLOW_UP, { "idempotency-key": "has spaces" });
    expect(malformed.status).toBe(400);
  });

  it("keeps workers across a restart", async () => {
    const before = await count("workers");
    await server.restart();
    expect(await count("workers")).toBe(before);
    expect((await install(FOLLOW_UP, { "idempotency-key": "after-restart" })).status).toBe(201);
  });
});
