import type { HttpAuth, HttpRuntime } from "@plugboard/plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpRuntimeClient } from "./http-runtime-client.js";
import { HttpRuntimeError } from "./http-runtime-errors.js";
import { faxlineChannel, textlineChannel } from "./testing/provider-manifests.js";
import { reply, startTestProvider, type TestProvider } from "./testing/test-provider.js";

const TOKEN = "fx-token-5d1c9e7a";
const ACCOUNT = "AC-4417";
const AUTH_TOKEN = "tl-secret-9f2e";
const API_KEY = "key-7b3d0c2a";

const SECRETS: Record<string, string> = {
  faxline_api_token: TOKEN,
  textline_account_id: ACCOUNT,
  textline_auth_token: AUTH_TOKEN,
  api_key: API_KEY,
};
const secrets = async (key: string) => SECRETS[key];

let provider: TestProvider;
const faxes = new Map<string, string>();

beforeAll(async () => {
  provider = await startTestProvider(
    ["api.faxline.example", "api.textline.example", "api.keys.example"],
    (request, response) => {
      const url = new URL(request.url, "https://provider");
      if (request.method === "POST" && url.pathname === "/v1/faxes") {
        const id = `fax_${faxes.size + 1}`;
        faxes.set(id, "delivered");
        reply(response, 201, { id, status: "queued" });
      } else if (request.method === "GET" && url.pathname.startsWith("/v1/faxes/")) {
        const id = decodeURIComponent(url.pathname.slice("/v1/faxes/".length));
        const status = faxes.get(id);
        reply(response, status === undefined ? 404 : 200, { id, status: status ?? "unknown" });
      } else if (request.method === "POST" && url.pathname === "/v1/messages") {
        reply(response, 201, { sid: "SM1", status: "accepted" });
      } else reply(response, 200, { ok: true });
    },
  );
});

afterAll(async () => {
  await provider.close();
});

function lastSeen() {
  const seen = provider.seen.at(-1);
  if (seen === undefined) throw new Error("the server saw no request");
  return seen;
}

function keysRuntime(auth: HttpAuth): { id: string; runtime: HttpRuntime } {
  return {
    id: "channel.sms.keys",
    runtime: {
      type: "http",
      allowedDomains: ["api.keys.example"],
      auth,
      operations: {
        send_message: {
          method: "POST",
          url: `https://api.keys.example:${provider.port}/v1/send`,
          query: { to: "{{ input.to }}" },
          body: { encoding: "json", template: { text: "{{ input.text }}" } },
          timeoutMs: 5_000,
        },
      },
    },
  };
}

function keysClient(auth: HttpAuth) {
  return createHttpRuntimeClient({
    manifest: keysRuntime(auth),
    config: {},
    secrets,
    send: provider.sender([`network:outbound:api.keys.example:${provider.port}`]),
  });
}

describe("createHttpRuntimeClient: the Faxline fax channel end to end", () => {
  it("sends a fax and follows it to succeeded through get_status", async () => {
    const manifest = faxlineChannel(provider.port);
    const client = createHttpRuntimeClient({
      manifest,
      config: { senderNumber: "+15550100", coverPage: true },
      secrets,
      send: provider.sender(manifest.permissions),
    });
    const sent = await client.perform("send_fax", {
      to: "+15550199",
      documentUrl: "https://files.example/doc.pdf",
    });
    expect(sent).toStrictEqual({
      ok: true,
      httpStatus: 201,
      fields: { job_id: "fax_1", status: "queued" },
      providerStatus: "queued",
      status: "queued",
      warnings: [],
    });
    const request = lastSeen();
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/json");
    expect(request.servername).toBe("api.faxline.example");
    expect(JSON.parse(request.body)).toStrictEqual({
      to: "+15550199",
      from: "+15550100",
      document_url: "https://files.example/doc.pdf",
      cover_page: true,
    });

    const followed = await client.perform("get_status", { jobId: "fax_1" });
    expect(followed).toMatchObject({
      ok: true,
      httpStatus: 200,
      fields: { job_id: "fax_1", status: "delivered" },
      providerStatus: "delivered",
      status: "succeeded",
    });
    expect(lastSeen()).toMatchObject({ method: "GET", url: "/v1/faxes/fax_1", body: "" });
  });

  it("lists the operations the runtime defines", () => {
    const manifest = faxlineChannel(provider.port);
    const client = createHttpRuntimeClient({
      manifest,
      config: {},
      secrets,
      send: provider.sender(manifest.permissions),
    });
    expect(client.operations).toStrictEqual(["send_fax", "get_status"]);
    expect(client.pluginId).toBe("channel.fax.faxline");
  });
});

describe("createHttpRuntimeClient: the Textline SMS channel", () => {
  it("sends a form body with basic auth built from two secrets", async () => {
    const manifest = textlineChannel(provider.port);
    const client = createHttpRuntimeClient({
      manifest,
      config: { senderNumber: "+15550100" },
      secrets,
      send: provider.sender(manifest.permissions),
    });
    const result = await client.perform("send_message", {
      to: "+15550199",
      body: "Hi & bye = 100% ünïcode",
    });
    expect(result).toMatchObject({ ok: true, fields: { job_id: "SM1" }, status: "queued" });
    const request = lastSeen();
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const basic = Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString("base64");
    expect(request.headers.authorization).toBe(`Basic ${basic}`);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toStrictEqual({
      to: "+15550199",
      from: "+15550100",
      body: "Hi & bye = 100% ünïcode",
    });
  });
});

describe("createHttpRuntimeClient: each auth scheme", () => {
  it("sends an api_key_header secret in its header", async () => {
    await keysClient({ scheme: "api_key_header", header: "X-Api-Key", secret: "api_key" }).perform(
      "send_message",
      { to: "+1555", text: "hi" },
    );
    expect(lastSeen().headers["x-api-key"]).toBe(API_KEY);
    expect(lastSeen().headers.authorization).toBeUndefined();
  });

  it("sends an api_key_query secret as a query parameter after the operation's own", async () => {
    await keysClient({ scheme: "api_key_query", param: "key", secret: "api_key" }).perform(
      "send_message",
      { to: "+1 555", text: "hi" },
    );
    expect(lastSeen().url).toBe(`/v1/send?to=%2B1+555&key=${API_KEY}`);
  });

  it("sends no credentials for the none scheme", async () => {
    await keysClient({ scheme: "none" }).perform("send_message", { to: "1", text: "hi" });
    expect(lastSeen().headers.authorization).toBeUndefined();
    expect(lastSeen().url).toBe("/v1/send?to=1");
  });
});

describe("render: the dry run", () => {
  it("returns the exact request with the bearer token masked, and sends nothing", async () => {
    const manifest = faxlineChannel(provider.port);
    const before = { seen: provider.seen.length, calls: provider.lookup.calls.length };
    const client = createHttpRuntimeClient({
      manifest,
      config: { senderNumber: "+15550100", coverPage: false },
      secrets,
      send: provider.sender(manifest.permissions),
    });
    const rendered = await client.render(
      "send_fax",
      { to: "+15550199", documentUrl: "https://files.example/a.pdf" },
      { maskSecrets: true },
    );
    expect(rendered).toStrictEqual({
      method: "POST",
      url: `https://api.faxline.example:${provider.port}/v1/faxes`,
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        authorization: "Bearer «secret:faxline_api_token»",
      },
      body: JSON.stringify({
        to: "+15550199",
        from: "+15550100",
        document_url: "https://files.example/a.pdf",
        cover_page: false,
      }),
      timeoutMs: 30_000,
      credentialHeaders: ["authorization"],
    });
    expect(provider.seen.length).toBe(before.seen);
    expect(provider.lookup.calls.length).toBe(before.calls);
  });

  it("sends nothing and resolves no host name, even for a host the grants refuse", async () => {
    const before = { seen: provider.seen.length, calls: provider.lookup.calls.length };
    const client = createHttpRuntimeClient({
      manifest: faxlineChannel(provider.port),
      config: { senderNumber: "+15550100" },
      secrets,
      send: provider.sender([]),
    });
    await client.render("get_status", { jobId: "fax_1" });
    expect(provider.seen.length).toBe(before.seen);
    expect(provider.lookup.calls.length).toBe(before.calls);
  });

  it("masks basic credentials as the two secret names, unencoded", async () => {
    const client = createHttpRuntimeClient({
      manifest: textlineChannel(provider.port),
      config: { senderNumber: "+15550100" },
      secrets,
      send: provider.sender([]),
    });
    const rendered = await client.render("send_message", { to: "+1", body: "x" });
    expect(rendered.headers.authorization).toBe(
      "Basic «secret:textline_account_id»:«secret:textline_auth_token»",
    );
    const text = JSON.stringify(rendered);
    for (const value of [
      ACCOUNT,
      AUTH_TOKEN,
      Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString("base64"),
    ]) {
      expect(text).not.toContain(value);
    }
  });

  it("masks an api_key_query secret in the URL and an api_key_header secret in its header", async () => {
    const query = await keysClient({
      scheme: "api_key_query",
      param: "key",
      secret: "api_key",
    }).render("send_message", { to: "1", text: "x" });
    expect(query.url).toBe(
      `https://api.keys.example:${provider.port}/v1/send?to=1&key=«secret:api_key»`,
    );
    const header = await keysClient({
      scheme: "api_key_header",
      header: "X-Api-Key",
      secret: "api_key",
    }).render("send_message", { to: "1", text: "x" });
    expect(header.headers["x-api-key"]).toBe("«secret:api_key»");
  });

  it("reads no secret, so it renders before any secret is set", async () => {
    let reads = 0;
    const client = createHttpRuntimeClient({
      manifest: textlineChannel(provider.port),
      config: { senderNumber: "+15550100" },
      secrets: async () => {
        reads++;
        return undefined;
      },
      send: provider.sender([]),
    });
    const rendered = await client.render("get_status", { jobId: "SM1" });
    expect(rendered.headers.authorization).toBe(
      "Basic «secret:textline_account_id»:«secret:textline_auth_token»",
    );
    expect(reads).toBe(0);
  });

  it("shows the real values when maskSecrets is false", async () => {
    const rendered = await keysClient({ scheme: "bearer", tokenSecret: "api_key" }).render(
      "send_message",
      { to: "1", text: "x" },
      { maskSecrets: false },
    );
    expect(rendered.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("reports a secret with no value when asked to show the real values", async () => {
    const client = createHttpRuntimeClient({
      manifest: faxlineChannel(provider.port),
      config: {},
      secrets: async () => undefined,
      send: provider.sender([]),
    });
    await expect(
      client.render("get_status", { jobId: "x" }, { maskSecrets: false }),
    ).rejects.toMatchObject({ code: "secret_missing", path: "runtime.auth.tokenSecret" });
  });

  it("throws the request error a perform would return, naming the field", async () => {
    const client = keysClient({ scheme: "none" });
    const error = await client.render("send_message", { text: "x" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(HttpRuntimeError);
    expect(error).toMatchObject({
      code: "value_missing",
      operation: "send_message",
      path: "runtime.operations.send_message.query.to",
    });
    expect(error.message).toContain("{{ input.to }}");
  });
});

describe("operations the runtime does not define", () => {
  it("refuses an unknown operation, naming the ones it knows", async () => {
    const client = keysClient({ scheme: "none" });
    const render = await client.render("get_status", {}).catch((caught) => caught);
    expect(render).toMatchObject({ code: "operation_unknown" });
    expect(render.message).toContain("send_message");
    await expect(client.perform("constructor", {})).rejects.toMatchObject({
      code: "operation_unknown",
    });
  });
});
