import { workerPackPlugins } from "@plugboard/plugin-manifests";
import { checkWorkerPackAlignment } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { runtimeWorkerPacks } from "../worker-packs/index.js";

describe("worker-pack manifest alignment", () => {
  it("pairs every first-party worker-pack manifest with its runtime pack, field for field", () => {
    expect(checkWorkerPackAlignment(workerPackPlugins, runtimeWorkerPacks)).toEqual([]);
  });

  it("covers every runtime pack the folder index exports", () => {
    const manifestPackIds = workerPackPlugins.map((manifest) => manifest.workerPackId).sort();
    expect(runtimeWorkerPacks.map((pack) => pack.id).sort()).toEqual(manifestPackIds);
  });

  it("reports a runtime pack that drifts from its manifest", () => {
    const [first, ...rest] = runtimeWorkerPacks;
    const drifted = { ...first, outputKinds: [...first.outputKinds, "invoice_draft"] };
    const problems = checkWorkerPackAlignment(workerPackPlugins, [drifted, ...rest]);
    expect(problems).toEqual([
      expect.objectContaining({ workerPackId: first.id, field: "outputKinds", code: "mismatch" }),
    ]);
  });
});
