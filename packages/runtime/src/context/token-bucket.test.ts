import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./token-bucket.js";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("token bucket", () => {
  it("allows a full burst at once, then one call per refilled token", () => {
    const time = clock();
    const bucket = createTokenBucket(10, 3, time.now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    time.advance(99);
    expect(bucket.take()).toBe(false);
    time.advance(1);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it("never holds more than the burst, however long it was idle", () => {
    const time = clock();
    const bucket = createTokenBucket(10, 2, time.now);
    time.advance(60_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });

  it("spends nothing on a refused call", () => {
    const time = clock();
    const bucket = createTokenBucket(1, 1, time.now);
    bucket.take();
    for (let i = 0; i < 5; i++) {
      time.advance(100);
      expect(bucket.take()).toBe(false);
    }
    time.advance(500);
    expect(bucket.take()).toBe(true);
  });
});
