import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createWalSync, sharedFlushes } from "./wal-sync.js";

/** A flush that ends when the test says so, counting how many were started. */
function controlledFlushes() {
  const started: Array<{ finish(): void; fail(error: Error): void }> = [];
  const flushOnce = () =>
    new Promise<void>((resolve, reject) => {
      started.push({ finish: resolve, fail: reject });
    });
  return { flush: sharedFlushes(flushOnce), started };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("shared WAL flushes", () => {
  it("starts a flush for a call made while none runs", async () => {
    const { flush, started } = controlledFlushes();
    const first = flush();
    expect(started).toHaveLength(1);
    started[0]?.finish();
    await expect(first).resolves.toBeUndefined();
  });

  it("answers calls made during a flush with the next one, never the running one", async () => {
    const { flush, started } = controlledFlushes();
    const first = flush();
    const second = flush();
    const third = flush();
    expect(started).toHaveLength(1);
    started[0]?.finish();
    await first;
    expect(await settled(second)).toBe(false);
    expect(started).toHaveLength(2);
    started[1]?.finish();
    await Promise.all([second, third]);
    expect(started).toHaveLength(2);
  });

  it("rejects the callers of a failed flush and flushes again for later ones", async () => {
    const { flush, started } = controlledFlushes();
    const first = flush();
    const second = flush();
    started[0]?.fail(new Error("EIO"));
    await expect(first).rejects.toThrow("EIO");
    started[1]?.finish();
    await expect(second).resolves.toBeUndefined();
    const third = flush();
    expect(started).toHaveLength(3);
    started[2]?.finish();
    await expect(third).resolves.toBeUndefined();
  });
});

describe("WAL sync of a file", () => {
  it("flushes the log file and closes its descriptor", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plugboard-wal-"));
    try {
      const path = join(dir, "db.sqlite-wal");
      writeFileSync(path, "frames");
      const wal = createWalSync(path);
      await Promise.all([wal.flush(), wal.flush(), wal.flush()]);
      await wal.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects when the log file is missing", async () => {
    const wal = createWalSync(join(tmpdir(), "plugboard-no-such-dir", "db.sqlite-wal"));
    await expect(wal.flush()).rejects.toMatchObject({ code: "ENOENT" });
  });
});
