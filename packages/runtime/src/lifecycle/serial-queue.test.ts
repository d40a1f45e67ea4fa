import { describe, expect, it } from "vitest";
import { createSerialQueue } from "./serial-queue.js";

describe("createSerialQueue", () => {
  it("runs tasks one after another in the order they were handed in", async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([
      queue.run(task("a", 30)),
      queue.run(task("b", 1)),
      queue.run(task("c", 10)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("goes on with the next task after one fails", async () => {
    const queue = createSerialQueue();
    const failed = queue.run(() => Promise.reject(new Error("first")));
    const next = queue.run(async () => "second");
    await expect(failed).rejects.toThrow("first");
    await expect(next).resolves.toBe("second");
  });
});
