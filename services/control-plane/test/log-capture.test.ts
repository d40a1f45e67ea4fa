import { describe, expect, it } from "vitest";
import { createLogCapture } from "./log-capture.js";

const line = (object: object) => `${JSON.stringify(object)}\n`;

describe("the log capture of test servers", () => {
  it("reports a forbidden credential found in the log", async () => {
    const logs = createLogCapture("log-capture-leak");
    logs.forbid("relay-password-Zq81");
    logs.stream.write(line({ msg: "login", password: "relay-password-Zq81" }));
    await expect(logs.assertNoSecretLogged()).rejects.toThrow("1 secret value(s)");
  });

  it("does not report an IP address stored as a secret, which the log names as the server's own", async () => {
    const logs = createLogCapture("log-capture-address");
    logs.forbid("127.0.0.1");
    logs.forbid("relay-password-Zq81");
    logs.stream.write(line({ msg: "Server listening at http://127.0.0.1:8787" }));
    await expect(logs.assertNoSecretLogged()).resolves.toBeUndefined();
  });
});
