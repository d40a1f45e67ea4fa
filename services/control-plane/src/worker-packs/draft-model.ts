/** What a worker asks a model to write: one text, from instructions and named facts. */
export interface DraftRequest {
  /** The runtime pack asking, such as `follow_up_v1`. */
  readonly workerPackId: string;
  /** The pack's system prompt. */
  readonly instructions: string;
  /** What to write, such as `follow_up_email`; a model may use it to pick a prompt. */
  readonly task: string;
  /** The only facts the text may state, by name. */
  readonly facts: Readonly<Record<string, string>>;
}

/**
 * Writes the text of a draft. The control plane ships a deterministic template model, so
 * nothing needs a language model to run or to be tested; another model is passed to
 * `buildControlPlane` as `ControlPlaneOptions.draftModel` by an entry point of the host's
 * own (`main.ts` passes none). A draft is only ever a proposal: what it leads to is governed
 * like any other action request.
 *
 * The text must be a function of the request alone where possible: when a route event is
 * handled again (after a restart), the stored draft is reused rather than written anew.
 */
export interface DraftModel {
  /** Shown in logs and in the work item, such as `template`. */
  readonly name: string;
  /**
   * `signal` is aborted when the pack's time for the event (PLUGBOARD_DRAFT_TIMEOUT_MS) runs
   * out; the run has failed by then, so a model should stop its work and its requests.
   */
  draft(request: DraftRequest, signal?: AbortSignal): Promise<string>;
}
