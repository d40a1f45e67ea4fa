import { rateLimitHook } from "@plugboard/plugin-manifests";
import { definePlugin, type HookRequest, type JsonValue } from "@plugboard/plugin-sdk";

/** Which request header names the caller, for each `keyBy` setting. */
const CALLER_HEADERS = {
  api_key: ["x-plugboard-actor"],
  user: ["x-plugboard-reviewer", "x-plugboard-actor"],
  ip: ["x-plugboard-client-ip"],
} as const;

type KeyBy = keyof typeof CALLER_HEADERS;

const isKeyBy = (value: unknown): value is KeyBy =>
  typeof value === "string" && Object.hasOwn(CALLER_HEADERS, value);

function callerOf(request: HookRequest, keyBy: KeyBy): string {
  for (const name of CALLER_HEADERS[keyBy]) {
    const value = request.headers[name];
    if (value !== undefined && value !== "") return value;
  }
  return "unknown";
}

function timestamps(stored: JsonValue | undefined): number[] {
  return Array.isArray(stored) ? stored.filter((entry) => typeof entry === "number") : [];
}

/**
 * `hook.rate-limit`: a sliding window per caller, kept in the plugin's own storage. A caller
 * over `maxRequests` within `windowSeconds` is blocked with 429 (for an action execution,
 * the attempt is put off and retried after a backoff). Counts may run slightly over the
 * limit when one caller's requests are checked at the same instant, since storage offers
 * no compare-and-swap.
 */
export const rateLimitPlugin = definePlugin({
  manifest: rateLimitHook,
  setup(ctx) {
    const maxRequests = typeof ctx.config.maxRequests === "number" ? ctx.config.maxRequests : 60;
    const windowMs =
      (typeof ctx.config.windowSeconds === "number" ? ctx.config.windowSeconds : 60) * 1000;
    const keyBy: KeyBy = isKeyBy(ctx.config.keyBy) ? ctx.config.keyBy : "api_key";
    return {
      async run(request) {
        const caller = callerOf(request, keyBy);
        const key = `window:${keyBy}:${caller}`;
        const now = Date.now();
        const recent = timestamps(await ctx.storage.get(key)).filter((at) => at > now - windowMs);
        if (recent.length >= maxRequests) {
          return {
            action: "block",
            status: 429,
            type: "rate_limited",
            message: `${caller} made ${recent.length} requests in the last ${windowMs / 1000} s; the limit is ${maxRequests}`,
          };
        }
        await ctx.storage.set(key, [...recent, now]);
        return {
          action: "passthrough",
          metadata: { [rateLimitHook.id]: { caller, count: recent.length + 1 } },
        };
      },
    };
  },
});
