import { definePlugin, type HookResult } from "@plugboard/plugin-sdk";
import { parseIpAddress } from "./address-range.js";
import { admittingEntry, readAllowlist } from "./allowlist.js";
import { manifest } from "./manifest.js";

/** Where the host puts the address a webhook came from; a sender cannot set it. */
const CLIENT_IP_HEADER = "x-plugboard-client-ip";

function refuse(type: string, message: string): HookResult {
  return { action: "block", status: 403, type, message };
}

/** Lets a webhook through only when its source address is on the configured allowlist. */
export default definePlugin({
  manifest,
  setup(ctx) {
    // A bad entry stops the hook from starting, with a message naming the entry: the host
    // then keeps the instance that runs with the previous list.
    const allowlist = readAllowlist(ctx.config.allowedAddresses);
    return {
      run(request) {
        const client = request.headers[CLIENT_IP_HEADER];
        if (client === undefined) {
          return refuse(
            "client_address_unknown",
            "the webhook's source address is unknown, so it cannot be checked against the allowlist",
          );
        }
        const address = parseIpAddress(client);
        if (address === undefined) {
          return refuse(
            "client_address_unreadable",
            `the webhook's source address ${JSON.stringify(client.slice(0, 64))} is not an IP address`,
          );
        }
        if (admittingEntry(allowlist, address) !== undefined) return { action: "passthrough" };
        return refuse(
          "address_not_allowed",
          `webhooks from ${client} are not accepted: the address is not on the allowlist`,
        );
      },

      probe() {
        return allowlist.length === 0
          ? { healthy: true, message: "no address is allowed: every webhook is refused" }
          : { healthy: true, message: `webhooks are accepted from ${allowlist.length} entries` };
      },
    };
  },
});
