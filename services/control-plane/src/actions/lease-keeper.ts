/** The claim on an action while its attempt runs, renewed in the background. */
export interface LeaseKeeper {
  /**
   * True while the claim is known to hold: no renewal found it gone, and the last renewal
   * that landed has not run out.
   */
  held(): boolean;
  /** Stops renewing; the claim then runs out one lease after its last renewal. */
  stop(): void;
}

/**
 * Renews a claim every third of `leaseMs` until stopped, so an attempt whose hooks and send
 * take longer than one lease keeps its claim for as long as its executor is alive, and loses
 * it within one lease once the executor stops. `renew` resolves with the new expiry, or
 * undefined when the claim is gone; a renewal that fails (the database is unreachable) is
 * tried again at the next interval, and the claim counts as held until its last expiry.
 */
export function keepLease(
  claimedUntil: string,
  leaseMs: number,
  renew: () => Promise<string | undefined>,
  onFailure: (error: unknown) => void,
): LeaseKeeper {
  let heldUntil = Date.parse(claimedUntil);
  let lost = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped || lost) return;
    timer = setTimeout(tick, Math.max(1, Math.floor(leaseMs / 3)));
  };
  const tick = () => {
    renew().then(
      (expiresAt) => {
        if (expiresAt === undefined) lost = true;
        else heldUntil = Date.parse(expiresAt);
        schedule();
      },
      (error: unknown) => {
        onFailure(error);
        schedule();
      },
    );
  };
  schedule();
  return {
    held: () => !lost && Date.now() < heldUntil,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
