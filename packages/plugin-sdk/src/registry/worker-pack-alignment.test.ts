import { describe, expect, it } from "vitest";
import type { WorkerPackManifest } from "../kinds/built-in-kinds.js";
import { hookExample, workerPackExample } from "../testing/example-manifests.js";
import {
  type AlignedField,
  type AlignmentProblem,
  checkWorkerPackAlignment,
  type RuntimeWorkerPackShape,
} from "./worker-pack-alignment.js";

// Written out by hand, never derived from the manifest: a runtime pack built from the
// manifest would make the check compare a thing with itself. The lists are in a different
// order from the manifest's on purpose.
const followUpPack: RuntimeWorkerPackShape = {
  id: "follow_up_v1",
  kind: "follow_up",
  defaultScope: "shared",
  supportedInputRoutes: [{ kind: "watched_inbox" }, { kind: "upload" }, { kind: "chat" }],
  actionCapabilities: [{ kind: "save_work" }, { kind: "send_email" }],
  outputKinds: ["meeting_recap", "email_draft"],
};

function mismatch(field: AlignedField): AlignmentProblem {
  return {
    workerPackId: "follow_up_v1",
    manifestId: "worker-pack.follow-up",
    field,
    code: "mismatch",
    message: expect.any(String),
  };
}

describe("checkWorkerPackAlignment", () => {
  it("finds nothing wrong with a manifest and the runtime pack that matches it", () => {
    expect(checkWorkerPackAlignment([workerPackExample], [followUpPack])).toEqual([]);
  });

  it("compares route, action and output kinds as sets, ignoring order and repeats", () => {
    const pack: RuntimeWorkerPackShape = {
      ...followUpPack,
      supportedInputRoutes: [...followUpPack.supportedInputRoutes, { kind: "chat" }],
      outputKinds: ["email_draft", "meeting_recap", "email_draft"],
    };
    expect(checkWorkerPackAlignment([workerPackExample], [pack])).toEqual([]);
  });

  it("ignores manifests of other kinds", () => {
    expect(checkWorkerPackAlignment([hookExample, workerPackExample], [followUpPack])).toEqual([]);
  });

  const manifestChanges: Array<[string, Partial<WorkerPackManifest>, AlignedField]> = [
    ["another worker kind", { workerKind: "proposal" }, "kind"],
    ["another default scope", { defaultScope: "personal" }, "defaultScope"],
    [
      "an extra input route kind",
      { supportedInputRouteKinds: ["chat", "upload", "watched_inbox", "forward_email"] },
      "supportedInputRoutes",
    ],
    [
      "one input route kind fewer",
      { supportedInputRouteKinds: ["chat", "upload"] },
      "supportedInputRoutes",
    ],
    [
      "an extra action kind",
      { actionKinds: ["send_email", "save_work", "post_slack"] },
      "actionCapabilities",
    ],
    ["one action kind fewer", { actionKinds: ["send_email"] }, "actionCapabilities"],
    [
      "an extra output kind",
      { outputKinds: ["email_draft", "meeting_recap", "action_plan"] },
      "outputKinds",
    ],
    ["one output kind fewer", { outputKinds: ["email_draft"] }, "outputKinds"],
  ];

  it.each(manifestChanges)("reports a manifest with %s", (_change, edit, field) => {
    const manifest = { ...workerPackExample, ...edit };
    expect(checkWorkerPackAlignment([manifest], [followUpPack])).toEqual([mismatch(field)]);
  });

  const runtimeChanges: Array<[string, Partial<RuntimeWorkerPackShape>, AlignedField]> = [
    ["another worker kind", { kind: "proposal" }, "kind"],
    ["another default scope", { defaultScope: "personal" }, "defaultScope"],
    [
      "an extra input route",
      { supportedInputRoutes: [...followUpPack.supportedInputRoutes, { kind: "forward_email" }] },
      "supportedInputRoutes",
    ],
    [
      "one input route fewer",
      { supportedInputRoutes: [{ kind: "chat" }, { kind: "upload" }] },
      "supportedInputRoutes",
    ],
    [
      "an extra action capability",
      { actionCapabilities: [...followUpPack.actionCapabilities, { kind: "post_slack" }] },
      "actionCapabilities",
    ],
    [
      "one action capability fewer",
      { actionCapabilities: [{ kind: "save_work" }] },
      "actionCapabilities",
    ],
    [
      "an extra output kind",
      { outputKinds: ["email_draft", "meeting_recap", "proposal_draft"] },
      "outputKinds",
    ],
    ["one output kind fewer", { outputKinds: ["meeting_recap"] }, "outputKinds"],
  ];

  it.each(runtimeChanges)("reports a runtime pack with %s", (_change, edit, field) => {
    const pack = { ...followUpPack, ...edit };
    expect(checkWorkerPackAlignment([workerPackExample], [pack])).toEqual([mismatch(field)]);
  });

  it("names both sides of a difference in the message", () => {
    const pack = { ...followUpPack, defaultScope: "personal" };
    const [problem] = checkWorkerPackAlignment([workerPackExample], [pack]);
    expect(problem?.message).toBe(
      'runtime pack "follow_up_v1" defaultScope is "personal", but manifest worker-pack.follow-up defaultScope is "shared"',
    );
    const fewer = { ...followUpPack, outputKinds: ["meeting_recap"] };
    expect(checkWorkerPackAlignment([workerPackExample], [fewer])[0]?.message).toBe(
      'runtime pack "follow_up_v1" outputKinds is [meeting_recap], but manifest worker-pack.follow-up outputKinds is [email_draft, meeting_recap]',
    );
  });

  it("reports every differing field of one pair at once", () => {
    const pack = { ...followUpPack, kind: "proposal", defaultScope: "personal", outputKinds: [] };
    expect(checkWorkerPackAlignment([workerPackExample], [pack])).toEqual([
      mismatch("kind"),
      mismatch("defaultScope"),
      mismatch("outputKinds"),
    ]);
  });

  it("reports a changed manifest workerPackId as a manifest without runtime pack and a pack without manifest", () => {
    const manifest = { ...workerPackExample, workerPackId: "follow_up_v2" };
    expect(checkWorkerPackAlignment([manifest], [followUpPack])).toEqual([
      {
        workerPackId: "follow_up_v2",
        manifestId: "worker-pack.follow-up",
        field: "id",
        code: "missing_runtime_pack",
        message:
          'manifest worker-pack.follow-up names workerPackId "follow_up_v2", but no runtime pack has that id',
      },
      {
        workerPackId: "follow_up_v1",
        field: "id",
        code: "missing_manifest",
        message: 'runtime pack "follow_up_v1" has no worker-pack manifest with that workerPackId',
      },
    ]);
  });

  it("reports a changed runtime pack id as a manifest without runtime pack and a pack without manifest", () => {
    const pack = { ...followUpPack, id: "follow_up_v2" };
    expect(
      checkWorkerPackAlignment([workerPackExample], [pack]).map((p) => [p.workerPackId, p.code]),
    ).toEqual([
      ["follow_up_v1", "missing_runtime_pack"],
      ["follow_up_v2", "missing_manifest"],
    ]);
  });

  it("reports a worker-pack manifest that has no runtime pack", () => {
    expect(checkWorkerPackAlignment([workerPackExample], [])).toEqual([
      {
        workerPackId: "follow_up_v1",
        manifestId: "worker-pack.follow-up",
        field: "id",
        code: "missing_runtime_pack",
        message: expect.stringContaining("no runtime pack has that id"),
      },
    ]);
  });

  it("reports a runtime pack that has no manifest", () => {
    expect(checkWorkerPackAlignment([hookExample], [followUpPack])).toEqual([
      {
        workerPackId: "follow_up_v1",
        field: "id",
        code: "missing_manifest",
        message: expect.stringContaining("has no worker-pack manifest"),
      },
    ]);
  });

  it("reports a runtime pack declared twice", () => {
    expect(
      checkWorkerPackAlignment([workerPackExample], [followUpPack, { ...followUpPack }]),
    ).toEqual([
      {
        workerPackId: "follow_up_v1",
        field: "id",
        code: "duplicate_runtime_pack",
        message: 'runtime pack "follow_up_v1" is declared twice',
      },
    ]);
  });
});
