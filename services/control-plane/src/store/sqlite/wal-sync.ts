import { type FileHandle, open } from "node:fs/promises";

/**
 * Makes what SQLite has written to its write-ahead log durable, off the event loop: an
 * `fdatasync` of the log file on libuv's thread pool.
 */
export interface WalSync {
  /** Resolves once every commit made before the call is on disk; rejects if the flush fails. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Shares flushes between callers: a call made while no flush runs starts one; calls made
 * while one runs (which may have started before their commits were written) share the next
 * one, started when it ends. Under load one flush then covers many commits (group commit),
 * and no caller is answered by a flush that began before it called.
 */
export function sharedFlushes(flushOnce: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  function flush(): Promise<void> {
    if (running === undefined) {
      running = flushOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return flush();
      });
    return queued;
  }
  return flush;
}

export function createWalSync(walPath: string): WalSync {
  let handle: Promise<FileHandle> | undefined;
  // fdatasync flushes a file's data whichever descriptor wrote it, so a read-only one of our
  // own does; SQLite keeps its log file (truncating or rewriting it in place) while the
  // database is open.
  const flush = sharedFlushes(async () => {
    handle ??= open(walPath, "r");
    const opened = handle;
    try {
      await (await opened).datasync();
    } catch (error) {
      // A descriptor that never opened is tried again by the next flush.
      if (
        handle === opened &&
        !(await opened.then(
          () => true,
          () => false,
        ))
      )
        handle = undefined;
      throw error;
    }
  });
  return {
    flush,
    async close() {
      const opened = handle;
      handle = undefined;
      if (opened !== undefined) await (await opened).close();
    },
  };
}
