import ivm from "isolated-vm";
import { expect, it } from "vitest";

it("runs code in an isolate", async () => {
  const isolate = new ivm.Isolate({ memoryLimit: 16 });
  const context = await isolate.createContext();
  expect(await context.eval("1 + 2")).toBe(3);
  isolate.dispose();
});
