import type ivm from "isolated-vm";
import type { CallBudget, RunAllowance } from "./call-budget.js";
import { SandboxError } from "./sandbox-errors.js";

/** A function in the isolate, held by the host only. */
export type IsolateFunction = ivm.Reference<(...args: ivm.Transferable[]) => unknown>;

export interface IsolateRunnerOptions {
  readonly isolate: ivm.Isolate;
  readonly pluginId: string;
  readonly memoryLimitMb: number;
  /** Whether a run may execute on the calling thread when no other run is under way. */
  readonly inline: boolean;
  /** Why the instance stopped, once it has. */
  readonly stopReason: () => SandboxError | undefined;
}

/**
 * Every entry into one isolate. Runs execute one at a time, so the isolate's CPU time
 * (`isolate.cpuTime`, the thread CPU time isolated-vm counts while the isolate executes) read
 * before and after a run is that run's alone, and is charged to the call the run belongs to.
 * Each run's `timeout` is what is left of its call's budget.
 */
export interface IsolateRunner {
  /**
   * Runs `fn` on the calling thread now, if dispatch is inline and no run is under way;
   * undefined if it cannot. Throws a `SandboxError` when the run fails.
   */
  runNow(
    fn: IsolateFunction,
    args: ivm.Transferable[],
    budget: CallBudget,
  ): { value: unknown } | undefined;
  /** Runs `fn` on isolated-vm's thread pool after the runs before it; rejects with a `SandboxError`. */
  run(fn: IsolateFunction, args: ivm.Transferable[], budget: CallBudget): Promise<unknown>;
}

/** What an error out of isolated-vm's run means, judged by what the host saw, not its text. */
export function classifyRunFailure(
  options: Pick<IsolateRunnerOptions, "isolate" | "pluginId" | "memoryLimitMb" | "stopReason">,
  error: unknown,
  run: {
    readonly timeoutMs: number;
    readonly elapsedMs: number;
    /** The failure to report when the run's timeout stopped it; made only then. */
    readonly timeout: () => SandboxError;
  },
): SandboxError {
  const stopped = options.stopReason();
  if (stopped !== undefined) return stopped;
  if (error instanceof SandboxError) return error;
  // isolated-vm disposes an isolate that passes its memory limit; the host had not.
  if (options.isolate.isDisposed) {
    return new SandboxError(
      "memory_limit",
      options.pluginId,
      `the plugin used more than its ${options.memoryLimitMb} MB memory limit`,
    );
  }
  // The run's timer starts when the isolate starts executing, after the host started
  // waiting: a run that ended sooner than its timeout was not stopped by it.
  if (run.elapsedMs >= run.timeoutMs) return run.timeout();
  const message = error instanceof Error ? error.message : String(error);
  return new SandboxError("crashed", options.pluginId, `the plugin's isolate stopped: ${message}`, {
    cause: error,
  });
}

/** The failure of a call that ran out of what `allowance` measured. */
export function budgetSpent(
  pluginId: string,
  budget: CallBudget,
  allowance: RunAllowance,
): SandboxError {
  return allowance.boundBy === "wall"
    ? new SandboxError(
        "timeout",
        pluginId,
        `the call did not settle within its wall-clock limit of ${budget.wallTimeMs} ms`,
      )
    : new SandboxError(
        "timeout",
        pluginId,
        `the call used more than its CPU budget of ${budget.cpuTimeMs} ms in the isolate`,
      );
}

export function createIsolateRunner(options: IsolateRunnerOptions): IsolateRunner {
  const { isolate, pluginId } = options;
  const queue: Array<() => void> = [];
  let busy = false;

  function cpuTimeNs(): bigint | undefined {
    try {
      return isolate.cpuTime;
    } catch {
      return undefined;
    }
  }

  function charge(budget: CallBudget, before: bigint | undefined): void {
    const after = cpuTimeNs();
    if (before !== undefined && after !== undefined) budget.charge(Number(after - before) / 1e6);
  }

  /**
   * The run's timeout, or the failure of a call with nothing left. The failure a timeout
   * would report is made only when one does: an error costs microseconds to create.
   */
  function allowanceOf(budget: CallBudget): { timeoutMs: number; timeout: () => SandboxError } {
    const stopped = options.stopReason();
    if (stopped !== undefined) throw stopped;
    const allowance = budget.nextRun();
    const timeout = () => budgetSpent(pluginId, budget, allowance);
    if (allowance.timeoutMs <= 0) throw timeout();
    // isolated-vm takes whole milliseconds, and 0 would mean no timeout at all.
    return { timeoutMs: Math.max(1, Math.ceil(allowance.timeoutMs)), timeout };
  }

  function runNow(
    fn: IsolateFunction,
    args: ivm.Transferable[],
    budget: CallBudget,
  ): { value: unknown } | undefined {
    if (!options.inline || busy || queue.length > 0) return undefined;
    const { timeoutMs, timeout } = allowanceOf(budget);
    const before = cpuTimeNs();
    const startedAt = performance.now();
    try {
      return { value: fn.applySync(undefined, args, { timeout: timeoutMs }) };
    } catch (error) {
      const elapsedMs = performance.now() - startedAt;
      throw classifyRunFailure(options, error, { timeoutMs, elapsedMs, timeout });
    } finally {
      charge(budget, before);
    }
  }

  async function start(
    fn: IsolateFunction,
    args: ivm.Transferable[],
    budget: CallBudget,
  ): Promise<unknown> {
    const { timeoutMs, timeout } = allowanceOf(budget);
    const before = cpuTimeNs();
    const startedAt = performance.now();
    try {
      return await fn.apply(undefined, args, { timeout: timeoutMs });
    } catch (error) {
      const elapsedMs = performance.now() - startedAt;
      throw classifyRunFailure(options, error, { timeoutMs, elapsedMs, timeout });
    } finally {
      charge(budget, before);
    }
  }

  function pump(): void {
    if (busy) return;
    queue.shift()?.();
  }

  function run(
    fn: IsolateFunction,
    args: ivm.Transferable[],
    budget: CallBudget,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      queue.push(() => {
        busy = true;
        start(fn, args, budget)
          .then(resolve, reject)
          .finally(() => {
            busy = false;
            pump();
          });
      });
      pump();
    });
  }

  return { runNow, run };
}
