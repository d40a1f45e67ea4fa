import { expectTypeOf } from "vitest";
import {
  defineManifest,
  type HookManifest,
  type HookRing,
  type ManifestOfKind,
  type PluginManifest,
  type WorkerPackManifest,
} from "../src/index.js";

// Literal types survive defineManifest.

const followUp = defineManifest({
  kind: "worker_pack",
  id: "worker-pack.follow-up",
  version: "1.0.0",
  displayName: "Follow-up",
  description: "Drafts follow-up emails.",
  owner: "first_party",
  stability: "pilot",
  engines: { plugboard: "^1.0.0" },
  workerPackId: "follow_up_v1",
  workerKind: "follow_up",
  defaultScope: "shared",
  supportedInputRouteKinds: ["chat", "upload"],
  outputKinds: ["email_draft"],
  actionKinds: [],
  requiredConnectionProviders: ["gmail"],
  optionalConnectionProviders: [],
  setupSteps: [{ id: "connect", title: "Connect", description: "Connect mail.", ctaLabel: "Go" }],
});

expectTypeOf(followUp.kind).toEqualTypeOf<"worker_pack">();
expectTypeOf(followUp.workerPackId).toEqualTypeOf<"follow_up_v1">();
expectTypeOf(followUp.defaultScope).toEqualTypeOf<"shared">();
expectTypeOf(followUp.supportedInputRouteKinds).toEqualTypeOf<["chat", "upload"]>();
expectTypeOf(followUp.engines.plugboard).toEqualTypeOf<"^1.0.0">();
expectTypeOf(followUp).toExtend<WorkerPackManifest>();

const rateLimit = defineManifest({
  kind: "hook",
  id: "hook.rate-limit",
  version: "1.0.0",
  displayName: "Rate limit",
  description: "Rejects requests above a rate.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 100,
  timeoutMs: 50,
  failMode: "closed",
});

expectTypeOf(rateLimit.kind).toEqualTypeOf<"hook">();
expectTypeOf(rateLimit.ring).toEqualTypeOf<"pre_flight">();
expectTypeOf(rateLimit.priority).toEqualTypeOf<100>();
expectTypeOf(rateLimit).toExtend<HookManifest>();

// Narrowing by kind.

function describeDefined(manifest: typeof followUp | typeof rateLimit): string {
  if (manifest.kind === "hook") {
    expectTypeOf(manifest).toEqualTypeOf<typeof rateLimit>();
    return manifest.ring;
  }
  expectTypeOf(manifest).toEqualTypeOf<typeof followUp>();
  return manifest.workerPackId;
}
describeDefined(rateLimit);

function describeAny(manifest: PluginManifest): string {
  switch (manifest.kind) {
    case "hook":
      expectTypeOf(manifest).toEqualTypeOf<HookManifest>();
      return manifest.ring;
    case "worker_pack":
      expectTypeOf(manifest.workerPackId).toEqualTypeOf<string>();
      return manifest.workerPackId;
    case "connection_provider":
    case "ingress_adapter":
      return manifest.provider;
    case "action_executor":
      return manifest.actionKind;
    case "channel":
      return manifest.channelType;
    case "connector":
      return manifest.entityTypes.join(", ");
    case "rule_operator":
      return manifest.id;
    default: {
      const exhaustive: never = manifest;
      return exhaustive;
    }
  }
}
describeAny(followUp);

// ManifestOfKind picks one kind's manifest.

expectTypeOf<ManifestOfKind<"hook">>().toEqualTypeOf<HookManifest>();
expectTypeOf<ManifestOfKind<"hook">>().toHaveProperty("ring");
expectTypeOf<ManifestOfKind<"hook">["ring"]>().toEqualTypeOf<HookRing>();
expectTypeOf<ManifestOfKind<"hook">["kind"]>().toEqualTypeOf<"hook">();
expectTypeOf<ManifestOfKind<"worker_pack">>().not.toHaveProperty("ring");
expectTypeOf<ManifestOfKind<"worker_pack">>().toEqualTypeOf<WorkerPackManifest>();

// Each mistake is reported on the line of the offending field.

defineManifest({
  kind: "hook",
  id: "hook.wrong-enum",
  version: "1.0.0",
  displayName: "Wrong enum",
  description: "A ring that does not exist.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  // @ts-expect-error "pre-flight" is not a ring
  ring: "pre-flight",
  priority: 1,
  timeoutMs: 10,
  failMode: "open",
});

defineManifest({
  kind: "hook",
  id: "hook.wrong-type",
  version: "1.0.0",
  displayName: "Wrong type",
  description: "A priority written as text.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  // @ts-expect-error priority is a number
  priority: "1",
  timeoutMs: 10,
  failMode: "open",
});

defineManifest({
  kind: "worker_pack",
  id: "worker-pack.wrong-owner",
  version: "1.0.0",
  displayName: "Wrong owner",
  description: "An owner outside the closed set.",
  // @ts-expect-error "partner" is not an owner
  owner: "partner",
  stability: "pilot",
  engines: { plugboard: "^1.0.0" },
  workerPackId: "wrong_owner_v1",
  workerKind: "follow_up",
  defaultScope: "shared",
  supportedInputRouteKinds: ["chat"],
  outputKinds: ["email_draft"],
  actionKinds: [],
  requiredConnectionProviders: [],
  optionalConnectionProviders: [],
  setupSteps: [],
});

// A missing field has no line of its own; TypeScript reports it on the object.
// @ts-expect-error timeoutMs is missing
defineManifest({
  kind: "hook",
  id: "hook.missing-field",
  version: "1.0.0",
  displayName: "Missing field",
  description: "No timeout.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 1,
  failMode: "open",
});

defineManifest({
  kind: "hook",
  id: "hook.unknown-field",
  version: "1.0.0",
  displayName: "Unknown field",
  description: "A field no kind has.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 1,
  timeoutMs: 10,
  failMode: "open",
  // @ts-expect-error colour is not a field of a hook
  colour: "red",
});

defineManifest({
  kind: "hook",
  id: "hook.other-kinds-field",
  version: "1.0.0",
  displayName: "Field of another kind",
  description: "A worker pack field on a hook.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 1,
  timeoutMs: 10,
  failMode: "open",
  // @ts-expect-error workerPackId belongs to worker packs
  workerPackId: "rate_limit_v1",
});

defineManifest({
  // @ts-expect-error "hooks" is not a kind
  kind: "hooks",
  id: "hook.wrong-kind",
  version: "1.0.0",
  displayName: "Wrong kind",
  description: "A kind that does not exist.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
});

defineManifest({
  kind: "hook",
  id: "hook.nested-type",
  version: "1.0.0",
  displayName: "Nested wrong type",
  description: "A setup step with a numeric title.",
  owner: "core",
  stability: "stable",
  engines: { plugboard: "^1.0.0" },
  ring: "pre_flight",
  priority: 1,
  timeoutMs: 10,
  failMode: "open",
  setupSteps: [
    {
      id: "step",
      // @ts-expect-error a setup step title is text
      title: 1,
      description: "Do it.",
      ctaLabel: "Go",
    },
  ],
});
