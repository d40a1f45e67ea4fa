import { definePlugin } from "@plugboard/plugin-sdk";
import { rateLimitHook } from "./rate-limit-hook.js";

/** The code behind `hook.rate-limit`: counts requests per client and minute in storage. */
export default definePlugin({
  manifest: rateLimitHook,
  setup(ctx) {
    const maxRequests = typeof ctx.config.maxRequests === "number" ? ctx.config.maxRequests : 60;
    const header =
      typeof ctx.config.clientHeader === "string" ? ctx.config.clientHeader : "x-client-id";
    return {
      async run(request) {
        const client = request.headers[header] ?? "anonymous";
        const minute = Math.floor(Date.now() / 60_000);
        const key = `count:${client}:${minute}`;
        const stored = await ctx.storage.get(key);
        const count = (typeof stored === "number" ? stored : 0) + 1;
        await ctx.storage.set(key, count);
        await ctx.storage.delete(`count:${client}:${minute - 1}`);
        if (count <= maxRequests) return { action: "passthrough" };
        ctx.logger.warn("rate limit exceeded", { client, count });
        await ctx.events.publish("gateway.rate-limit.blocked", { client, count });
        return {
          action: "block",
          status: 429,
          type: "rate_limited",
          message: `more than ${maxRequests} requests per minute`,
        };
      },
    };
  },
});
