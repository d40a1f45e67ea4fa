/**
 * A token bucket: it holds at most `burst` tokens, starts full and refills at `perSecond`.
 * `take()` spends one token and says whether there was one, so calls may come `burst` at
 * once and `perSecond` on average after that.
 *
 * @example const allowance = createTokenBucket(10, 20); allowance.take() // true
 */
export function createTokenBucket(
  perSecond: number,
  burst: number,
  now: () => number = () => performance.now(),
): { take(): boolean } {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - last) / 1_000) * perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
