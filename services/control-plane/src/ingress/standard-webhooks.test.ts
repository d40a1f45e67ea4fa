import { describe, expect, it } from "vitest";
import { parseWebhookTimestamp, withinReplayWindow } from "./replay-window.js";
import {
  signStandardWebhook,
  standardWebhookKey,
  standardWebhookSignatureMatches,
} from "./standard-webhooks.js";

// The example of the Standard Webhooks specification's reference libraries.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = "1614265330";
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

describe("Standard Webhooks signatures", () => {
  const key = standardWebhookKey(SECRET);

  it("signs the specification's example as the reference libraries do", () => {
    expect(signStandardWebhook(key, ID, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it("accepts the right signature among several, as sent while a secret rotates", () => {
    const other = signStandardWebhook(standardWebhookKey("whsec_b3RoZXI="), ID, TIMESTAMP, BODY);
    expect(standardWebhookSignatureMatches(key, ID, TIMESTAMP, BODY, SIGNATURE)).toBe(true);
    expect(standardWebhookSignatureMatches(key, ID, TIMESTAMP, BODY, `${other} ${SIGNATURE}`)).toBe(
      true,
    );
  });

  it("rejects a signature over another body, id or timestamp, or of another version", () => {
    const matches = (id: string, timestamp: string, body: Buffer, header: string) =>
      standardWebhookSignatureMatches(key, id, timestamp, body, header);
    expect(matches(ID, TIMESTAMP, Buffer.from('{"test": 2432232315}'), SIGNATURE)).toBe(false);
    expect(matches("msg_other", TIMESTAMP, BODY, SIGNATURE)).toBe(false);
    expect(matches(ID, "1614265331", BODY, SIGNATURE)).toBe(false);
    expect(matches(ID, TIMESTAMP, BODY, SIGNATURE.replace("v1,", "v2,"))).toBe(false);
    expect(matches(ID, TIMESTAMP, BODY, "v1,")).toBe(false);
    expect(matches(ID, TIMESTAMP, BODY, "v1,c2hvcnQ=")).toBe(false);
    expect(matches(ID, TIMESTAMP, BODY, "")).toBe(false);
  });

  it("reads the key with or without the whsec_ prefix", () => {
    expect(standardWebhookKey(SECRET.slice("whsec_".length))).toEqual(key);
  });
});

describe("replay window", () => {
  const now = new Date(Number(TIMESTAMP) * 1000);

  it("accepts timestamps up to five minutes either side of now", () => {
    expect(withinReplayWindow(Number(TIMESTAMP) - 300, now)).toBe(true);
    expect(withinReplayWindow(Number(TIMESTAMP) + 300, now)).toBe(true);
  });

  it("refuses older and later timestamps", () => {
    expect(withinReplayWindow(Number(TIMESTAMP) - 301, now)).toBe(false);
    expect(withinReplayWindow(Number(TIMESTAMP) + 301, now)).toBe(false);
  });

  it("reads only whole Unix seconds", () => {
    expect(parseWebhookTimestamp(TIMESTAMP)).toBe(1614265330);
    for (const value of [undefined, "", "1614265330.5", "-1", "1e9", "2021-02-25T15:02:10Z"]) {
      expect(parseWebhookTimestamp(value)).toBeUndefined();
    }
  });
});
