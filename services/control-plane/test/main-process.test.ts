import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, runMain, waitUntilReady } from "./control-plane-process.js";
import { ADMIN_TOKEN } from "./running-control-plane.js";

// The process itself is the subject here; it runs on SQLite whichever database the suite uses.
describe.skipIf(process.env.PLUGBOARD_TEST_DATABASE === "postgres")(
  "the control-plane process",
  () => {
    const dirs: string[] = [];
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), "plugboard-main-"));
      dirs.push(dir);
      return dir;
    };
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it("prints a generated admin token at first start only, and that token works", async () => {
      const dir = dataDir();
      const port = await freePort();
      const first = runMain({ PLUGBOARD_DATA_DIR: dir, PORT: String(port) });
      await waitUntilReady(port);
      const token = /\n {2}(pbt_\S+)\n/.exec(first.output())?.[1];
      expect(token).toBeDefined();
      const registry = await fetch(`http://127.0.0.1:${port}/v1/registry`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(registry.status).toBe(200);
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);

      const second = runMain({ PLUGBOARD_DATA_DIR: dir, PORT: String(port) });
      await waitUntilReady(port);
      expect(second.output()).not.toContain("pbt_");
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    });

    it("finishes a request in flight when SIGTERM arrives, then exits 0", async () => {
      const port = await freePort();
      const started = runMain({
        PLUGBOARD_DATA_DIR: dataDir(),
        PORT: String(port),
        PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      });
      await waitUntilReady(port);
      const body = JSON.stringify({ manifest: { kind: "hook" } });
      const answer = new Promise<number | undefined>((resolve, reject) => {
        const call = request(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: "/v1/plugins/validate",
            headers: {
              authorization: `Bearer ${ADMIN_TOKEN}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            },
          },
          (response) => {
            response.resume();
            response.on("end", () => resolve(response.statusCode));
          },
        );
        call.on("error", reject);
        // Half the body now; the rest after the signal, so the request is in flight.
        call.write(body.slice(0, 10));
        setTimeout(() => {
          started.child.kill("SIGTERM");
          setTimeout(() => call.end(body.slice(10)), 200);
        }, 100);
      });
      const status = await answer;
      expect(status).toBe(200);
      expect(await started.exited).toBe(0);
    });

    it("refuses to start on a bad setting, naming the variable", async () => {
      const started = runMain({ PLUGBOARD_DATA_DIR: dataDir(), PORT: "eighty" });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain('PORT="eighty"');
    });
  },
);
