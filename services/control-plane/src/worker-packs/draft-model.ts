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
 * nothing needs a language model to run or to be tested; a host plugs its own model in
 * through `ControlPlaneOptions.draftModel`. A draft is only ever a proposal: what it leads to
 * is governed like any other action request.
 *
 * The text must be a function of the request alone where possible: when a route event is
 * handled again (after a restart), the stored draft is reused rather than written anew.
 */
export interface DraftModel {
  /** Shown in logs and in the work item, such as `template`. */
  readonly name: string;
  draft(request: DraftRequest, signal?: AbortSignal): Promise<string>;
}
