import { describe, expect, it } from "vitest";
import { followUpPack } from "./follow-up.js";
import { runtimeWorkerPacks } from "./index.js";
import { defineWorkerPack } from "./worker-pack-definition.js";

describe("defineWorkerPack", () => {
  it("accepts every shipped runtime pack", () => {
    expect(runtimeWorkerPacks.map((pack) => defineWorkerPack(pack))).toEqual(runtimeWorkerPacks);
  });

  it("rejects an id without a version suffix, naming the field", () => {
    expect(() => defineWorkerPack({ ...followUpPack, id: "follow_up" })).toThrow(/id:/);
  });

  it("rejects an install plan that opens a route the pack does not support", () => {
    expect(() =>
      defineWorkerPack({
        ...followUpPack,
        installPlan: { defaultWorkerName: "x", inputRoutes: ["upload"] },
      }),
    ).toThrow(/installPlan\.inputRoutes\.0: route kind "upload"/);
  });

  it("rejects an unknown boundary mode", () => {
    expect(() =>
      defineWorkerPack({
        ...followUpPack,
        // @ts-expect-error a boundary mode outside the closed set
        actionCapabilities: [{ kind: "send_email", defaultBoundaryMode: "sometimes" }],
      }),
    ).toThrow(/actionCapabilities\.0\.defaultBoundaryMode/);
  });
});
