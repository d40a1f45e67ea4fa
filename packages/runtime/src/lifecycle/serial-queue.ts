/** Runs tasks one at a time, in the order they were handed in. */
export interface SerialQueue {
  /** Runs `task` after every task handed in before it has settled; resolves as it does. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

const ignore = () => {};

/** A queue whose tasks never overlap; a task that fails does not stop the ones after it. */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = tail.then(task);
      tail = result.then(ignore, ignore);
      return result;
    },
  };
}
