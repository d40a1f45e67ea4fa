/** A count of things under way (calls, leases) that one can wait to see reach zero. */
export interface InFlight {
  readonly count: number;
  enter(): void;
  leave(): void;
  /** Resolves when the count is zero, or after `timeoutMs`, whichever comes first. */
  drained(timeoutMs: number): Promise<void>;
}

export function createInFlight(): InFlight {
  let count = 0;
  const waiters = new Set<() => void>();
  return {
    get count() {
      return count;
    },
    enter() {
      count += 1;
    },
    leave() {
      count -= 1;
      if (count === 0) for (const done of [...waiters]) done();
    },
    drained(timeoutMs) {
      if (count === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      });
    },
  };
}
