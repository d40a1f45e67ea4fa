import { workerPackKind } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { followUpWorkerPack } from "./fixtures/example-manifests.js";
import { issuesFromZod } from "./issue.js";
import { fromWire, toWire } from "./wire-case.js";
import {
  WorkerInstallRequestSchema,
  WorkerInstallRequestWireSchema,
  WorkerInstallResultSchema,
  WorkerInstallResultWireSchema,
  type WorkerPackListing,
  WorkerPackListResponseSchema,
  WorkerPackListResponseWireSchema,
} from "./worker-packs.js";

function pathsOf(result: { error?: { issues: z.core.$ZodIssue[] } | undefined }): string[] {
  return issuesFromZod(result.error?.issues ?? []).map((issue) => issue.path);
}

const listing: WorkerPackListing = {
  ...workerPackKind.schema.parse(followUpWorkerPack),
  runtimePack: {
    summary: "Drafts client follow-ups for review before sending.",
    inputRoutes: [
      { kind: "chat", label: "Chat", description: "Ask the worker directly." },
      { kind: "forward_email", label: "Forwarded email", description: "Forward a thread." },
    ],
    actionCapabilities: [
      { kind: "send_email", defaultBoundaryMode: "ask_me" },
      { kind: "save_work", defaultBoundaryMode: "auto" },
    ],
  },
  availability: { available: false, missingConnectionProviders: ["gmail"] },
};

describe("worker pack list", () => {
  it("carries each manifest with its runtime pack and availability over the wire", () => {
    const response = { workerPacks: [listing] };
    const wire = toWire(WorkerPackListResponseSchema, response);
    const [pack] = wire.worker_packs;
    expect(pack?.worker_pack_id).toBe("follow_up_v1");
    expect(pack?.runtime_pack.input_routes[1]?.label).toBe("Forwarded email");
    expect(pack?.runtime_pack.action_capabilities[0]?.default_boundary_mode).toBe("ask_me");
    expect(pack?.availability.missing_connection_providers).toEqual(["gmail"]);
    expect(WorkerPackListResponseWireSchema.parse(wire)).toEqual(wire);
    expect(fromWire(WorkerPackListResponseSchema, wire)).toEqual(response);
  });

  it("rejects a boundary mode the SDK does not define", () => {
    const wire = toWire(WorkerPackListResponseSchema, { workerPacks: [listing] });
    const pack = wire.worker_packs[0];
    if (pack === undefined) throw new Error("the listing has one pack");
    const broken = {
      worker_packs: [
        {
          ...pack,
          runtime_pack: {
            ...pack.runtime_pack,
            action_capabilities: [{ kind: "send_email", default_boundary_mode: "sometimes" }],
          },
        },
      ],
    };
    expect(pathsOf(WorkerPackListResponseWireSchema.safeParse(broken))).toEqual([
      "worker_packs[0].runtime_pack.action_capabilities[0].default_boundary_mode",
    ]);
  });

  it("requires a runtime pack with at least one input route", () => {
    const wire = toWire(WorkerPackListResponseSchema, { workerPacks: [listing] });
    const pack = wire.worker_packs[0];
    if (pack === undefined) throw new Error("the listing has one pack");
    const broken = {
      worker_packs: [{ ...pack, runtime_pack: { ...pack.runtime_pack, input_routes: [] } }],
    };
    expect(pathsOf(WorkerPackListResponseWireSchema.safeParse(broken))).toEqual([
      "worker_packs[0].runtime_pack.input_routes",
    ]);
  });
});

describe("worker install", () => {
  it("accepts a request naming only the pack, in wire spelling", () => {
    const request = WorkerInstallRequestWireSchema.parse({ worker_pack_id: "follow_up_v1" });
    expect(fromWire(WorkerInstallRequestSchema, request)).toEqual({ workerPackId: "follow_up_v1" });
  });

  it("rejects a pack id without a version suffix", () => {
    const result = WorkerInstallRequestWireSchema.safeParse({ worker_pack_id: "follow_up" });
    expect(pathsOf(result)).toEqual(["worker_pack_id"]);
  });

  it("rejects a camelCase key, an empty name and an unknown scope", () => {
    const result = WorkerInstallRequestWireSchema.safeParse({
      workerPackId: "follow_up_v1",
      name: "",
      scope: "team",
    });
    expect(pathsOf(result).sort()).toEqual(["name", "scope", "workerPackId", "worker_pack_id"]);
  });

  it("reports what one install created", () => {
    const created = {
      worker: {
        id: "wrk_1",
        workerPackId: "follow_up_v1",
        name: "Client follow-up",
        scope: "shared",
      },
      inputRoutes: [{ id: "rt_1", kind: "chat", label: "Chat" }],
      actionCapabilities: [{ kind: "send_email", boundaryMode: "ask_me" }],
    } as const;
    const wire = toWire(WorkerInstallResultSchema, WorkerInstallResultSchema.parse(created));
    expect(wire.worker.worker_pack_id).toBe("follow_up_v1");
    expect(wire.action_capabilities[0]?.boundary_mode).toBe("ask_me");
    expect(fromWire(WorkerInstallResultSchema, WorkerInstallResultWireSchema.parse(wire))).toEqual(
      created,
    );
  });
});
