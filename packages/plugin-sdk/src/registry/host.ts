import { ACTION_KINDS, INPUT_ROUTE_KINDS } from "../known-values.js";

/**
 * The version of the plugin API this SDK describes; `engines.plugboard` ranges are matched
 * against the version a host implements.
 */
export const PLUGBOARD_API_VERSION = "1.0.0";

/** What a host provides natively, so manifests may reference it without a plugin. */
export interface HostDeclaration {
  /** The plugin API version the host implements; `engines.plugboard` must admit it. */
  readonly plugboardVersion?: string;
  /** Route kinds the host produces itself, such as `chat` and `upload`. */
  readonly routeKinds?: readonly string[];
  /** Action kinds the host executes itself, such as `save_work`. */
  readonly actionKinds?: readonly string[];
  /** Provider keys the host connects to itself. */
  readonly providers?: readonly string[];
  /** Provider keys the host can send through itself; they also count as `providers`. */
  readonly writeCapableProviders?: readonly string[];
}

/** What the Plugboard control plane provides natively. */
export const PLUGBOARD_HOST: HostDeclaration = {
  plugboardVersion: PLUGBOARD_API_VERSION,
  routeKinds: [INPUT_ROUTE_KINDS.chat, INPUT_ROUTE_KINDS.upload],
  actionKinds: [ACTION_KINDS.saveWork],
  providers: [],
};
