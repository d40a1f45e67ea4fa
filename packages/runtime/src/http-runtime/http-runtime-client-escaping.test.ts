import type { HttpRuntime } from "@plugboard/plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpRuntimeClient } from "./http-runtime-client.js";
import { reply, startTestProvider, type TestProvider } from "./testing/test-provider.js";

let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider(["api.keys.example"], (_, response) => {
    reply(response, 200, { ok: true });
  });
});

afterAll(async () => {
  await provider.close();
});

function lastSeen() {
  const seen = provider.seen.at(-1);
  if (seen === undefined) throw new Error("the server saw no request");
  return seen;
}

describe("createHttpRuntimeClient: hostile input on the wire", () => {
  const HOSTILE = '"q" \\b </script> ../../admin?x=1#top ü😀';

  function hostileClient() {
    const base = `https://api.keys.example:${provider.port}/v1/items/{{ input.id }}`;
    const runtime: HttpRuntime = {
      type: "http",
      allowedDomains: ["api.keys.example"],
      auth: { scheme: "none" },
      operations: {
        send_message: {
          method: "POST",
          url: base,
          headers: { "X-Note": "{{ input.note }}" },
          query: { q: "{{ input.text }}" },
          body: { encoding: "json", template: { text: "{{ input.text }}", n: "{{ input.n }}" } },
        },
        send_fax: {
          method: "PUT",
          url: base,
          body: { encoding: "form", fields: { text: "{{ input.text }}", to: "{{ input.id }}" } },
        },
        place_call: {
          method: "PATCH",
          url: base,
          body: { encoding: "multipart", fields: { text: "{{ input.text }}" } },
        },
      },
    };
    return createHttpRuntimeClient({
      manifest: { id: "channel.sms.keys", runtime },
      config: {},
      secrets: async () => undefined,
      send: provider.sender([`network:outbound:api.keys.example:${provider.port}`]),
    });
  }

  it("keeps each value inside its place in the path, query, header and JSON body", async () => {
    const result = await hostileClient().perform("send_message", {
      id: "../../admin?x=1#",
      note: 'a\t"b"',
      text: HOSTILE,
      n: 5,
    });
    expect(result.ok).toBe(true);
    const seen = lastSeen();
    const url = new URL(seen.url, "https://server");
    expect(url.pathname).toBe("/v1/items/..%2F..%2Fadmin%3Fx%3D1%23");
    expect([...url.searchParams]).toStrictEqual([["q", HOSTILE]]);
    expect(seen.headers["x-note"]).toBe('a\t"b"');
    expect(JSON.parse(seen.body)).toStrictEqual({ text: HOSTILE, n: 5 });
  });

  it("keeps each value inside its field in a form body and its part in a multipart body", async () => {
    const client = hostileClient();
    await client.perform("send_fax", { id: "1", text: `${HOSTILE}&to=evil` });
    expect([...new URLSearchParams(lastSeen().body)]).toStrictEqual([
      ["text", `${HOSTILE}&to=evil`],
      ["to", "1"],
    ]);
    await client.perform("place_call", { id: "1", text: HOSTILE });
    const seen = lastSeen();
    const boundary = String(seen.headers["content-type"]).split("boundary=")[1] ?? "";
    expect(seen.body.split(`--${boundary}`)).toStrictEqual([
      "",
      `\r\nContent-Disposition: form-data; name="text"\r\n\r\n${HOSTILE}\r\n`,
      "--\r\n",
    ]);
  });

  it("sends nothing when a header value would carry CR or LF", async () => {
    const before = provider.seen.length;
    const result = await hostileClient().perform("send_message", {
      id: "1",
      note: "x\r\nX-Injected: 1",
      text: "t",
      n: 1,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "header_invalid" } });
    expect(provider.seen.length).toBe(before);
  });
});
