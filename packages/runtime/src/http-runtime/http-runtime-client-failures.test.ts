import type { HttpOperation, HttpRuntime } from "@plugboard/plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EgressHostPolicy } from "../egress/egress-policy.js";
import type { EgressRequest } from "../egress/egress-request.js";
import { createHttpRuntimeClient, type HttpRuntimeSender } from "./http-runtime-client.js";
import { reply, startTestProvider, type TestProvider } from "./testing/test-provider.js";

const TOKEN = "tok-8c1f42e9d0";
const HOST = "api.flaky.example";

let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider(
    [HOST, "internal.flaky.example"],
    (request, response) => {
      const url = new URL(request.url, "https://provider");
      const [, kind = "", value = ""] = url.pathname.split("/");
      switch (kind) {
        case "status":
          reply(response, Number(value), { error: `failed with ${value}` });
          return;
        case "echo-token":
          // A provider that quotes the credential back in its error.
          reply(response, 401, `bad credentials: ${request.headers.authorization ?? ""}`);
          return;
        case "not-json":
          reply(response, 200, "<html>maintenance</html>");
          return;
        case "large":
          reply(response, 200, { padding: "x".repeat(4096) });
          return;
        case "hang":
          return;
        case "loop":
          response.writeHead(302, { location: `/loop${url.search}` });
          response.end();
          return;
        case "job":
          reply(response, 200, { data: { id: "j1", state: value } });
          return;
        default:
          reply(response, 404, { error: "no such route" });
      }
    },
    { "internal.flaky.example": [["10.0.0.7"]] },
  );
});

afterAll(async () => {
  await provider.close();
});

function client(
  operation: HttpOperation,
  options: { hostPolicy?: EgressHostPolicy; permissions?: string[]; send?: HttpRuntimeSender } = {},
) {
  const runtime: HttpRuntime = {
    type: "http",
    allowedDomains: [HOST],
    auth: { scheme: "bearer", tokenSecret: "flaky_token" },
    operations: { send_message: operation },
  };
  return createHttpRuntimeClient({
    manifest: { id: "channel.sms.flaky", runtime },
    config: {},
    secrets: async (key) => (key === "flaky_token" ? TOKEN : undefined),
    send:
      options.send ??
      provider.sender(
        options.permissions ?? [`network:outbound:${HOST}:${provider.port}`],
        options.hostPolicy,
      ),
  });
}

const at = (path: string, host = HOST) => `https://${host}:${provider.port}${path}`;

describe("perform: HTTP statuses", () => {
  it.each([408, 425, 429, 500, 502, 503])("reports %i as a retryable failure", async (status) => {
    const result = await client({ method: "POST", url: at(`/status/${status}`) }).perform(
      "send_message",
      {},
    );
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      httpStatus: status,
      error: { code: "http_status" },
    });
  });

  it.each([400, 401, 403, 404, 422])("reports %i as a permanent failure", async (status) => {
    const result = await client({ method: "POST", url: at(`/status/${status}`) }).perform(
      "send_message",
      {},
    );
    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: status });
  });

  it("quotes the start of the error body in the message, naming the operation", async () => {
    const result = await client({ method: "POST", url: at("/status/503") }).perform(
      "send_message",
      {},
    );
    expect(result.ok === false && result.error.message).toBe(
      `send_message: POST https://${HOST}:${provider.port}/status/503 answered 503: {"error":"failed with 503"}`,
    );
  });

  it("cuts the secret out of a response body quoted in the message", async () => {
    const result = await client({ method: "POST", url: at("/echo-token") }).perform(
      "send_message",
      {},
    );
    expect(result).toMatchObject({ ok: false, httpStatus: 401 });
    const text = JSON.stringify(result);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain("bad credentials: Bearer «secret:flaky_token»");
  });
});

describe("perform: response mapping", () => {
  const job = (): HttpOperation => ({
    method: "GET",
    url: at("/job/{{ input.state }}"),
    response: {
      fields: { job_id: "data.id", owner: "data.owner" },
      statusPath: "data.state",
      statusMap: { done: "succeeded", busy: "in_progress" },
    },
  });

  it("maps a known provider status to a job status", async () => {
    const result = await client(job()).perform("send_message", { state: "busy" });
    expect(result).toMatchObject({ ok: true, providerStatus: "busy", status: "in_progress" });
  });

  it("reports an unknown provider status with no job status and a warning", async () => {
    const result = await client(job()).perform("send_message", { state: "constructor" });
    expect(result).toMatchObject({ ok: true, providerStatus: "constructor", status: undefined });
    expect(result.ok && result.warnings.map((warning) => warning.code)).toStrictEqual([
      "field_missing",
      "status_unknown",
    ]);
  });

  it("reports a non-JSON body as a failure when the operation maps the response", async () => {
    const result = await client({ ...job(), url: at("/not-json") }).perform("send_message", {});
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      httpStatus: 200,
      error: { code: "response_not_json" },
    });
    expect(result.ok === false && result.error.message).toContain("<html>maintenance</html>");
  });

  it("does not read a body it does not map", async () => {
    const result = await client({ method: "POST", url: at("/not-json") }).perform(
      "send_message",
      {},
    );
    expect(result).toStrictEqual({
      ok: true,
      httpStatus: 200,
      fields: {},
      providerStatus: undefined,
      status: undefined,
      warnings: [],
    });
  });
});

describe("perform: egress refusals and failures are results", () => {
  it("reports a host outside the grants as egress_host_not_granted", async () => {
    const seen = provider.seen.length;
    const result = await client(
      { method: "POST", url: at("/status/200") },
      { permissions: [] },
    ).perform("send_message", {});
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      httpStatus: undefined,
      error: { code: "egress_host_not_granted" },
    });
    expect(provider.seen.length).toBe(seen);
  });

  it("reports a name that resolves to a private address as egress_forbidden_address", async () => {
    const host = "internal.flaky.example";
    const seen = provider.seen.length;
    const result = await client(
      { method: "POST", url: at("/status/200", host) },
      { permissions: [`network:outbound:${host}:${provider.port}`] },
    ).perform("send_message", {});
    expect(result).toMatchObject({ ok: false, error: { code: "egress_forbidden_address" } });
    expect(provider.seen.length).toBe(seen);
  });

  it("reports a response over the size cap as egress_response_too_large", async () => {
    const result = await client(
      { method: "GET", url: at("/large") },
      { hostPolicy: { maxResponseBytes: 1024 } },
    ).perform("send_message", {});
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: { code: "egress_response_too_large" },
    });
  });

  it("passes the operation's timeoutMs to the egress guard", async () => {
    const started = Date.now();
    const result = await client({ method: "GET", url: at("/hang"), timeoutMs: 200 }).perform(
      "send_message",
      {},
    );
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: "egress_timeout" } });
    expect(result.ok === false && result.error.message).toContain("200 ms");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("reports a cancelled call as egress_aborted", async () => {
    const controller = new AbortController();
    const pending = client({ method: "GET", url: at("/hang") }).perform(
      "send_message",
      {},
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: { code: "egress_aborted" } });
  });

  it("cuts secrets out of egress error messages", async () => {
    // The redirect keeps the query, so the guard's message quotes the api key it carries.
    const runtime: HttpRuntime = {
      type: "http",
      allowedDomains: [HOST],
      auth: { scheme: "api_key_query", param: "key", secret: "flaky_token" },
      operations: { send_message: { method: "GET", url: at("/loop") } },
    };
    const result = await createHttpRuntimeClient({
      manifest: { id: "channel.sms.flaky", runtime },
      config: {},
      secrets: async () => TOKEN,
      send: provider.sender([`network:outbound:${HOST}:${provider.port}`], { maxRedirects: 0 }),
    }).perform("send_message", {});
    expect(result).toMatchObject({ ok: false, error: { code: "egress_too_many_redirects" } });
    expect(result.ok === false && result.error.message).toContain("key=«secret:flaky_token»");
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it("names the auth scheme's headers as credentials, which the guard never carries to another origin", async () => {
    const sent: EgressRequest[] = [];
    const capture: HttpRuntimeSender = async (request) => {
      sent.push(request);
      return {
        status: 200,
        headers: {},
        body: new TextEncoder().encode("{}"),
        url: request.url,
        address: "127.0.0.1",
      };
    };
    const runtime: HttpRuntime = {
      type: "http",
      allowedDomains: [HOST],
      auth: { scheme: "api_key_header", header: "X-Api-Key", secret: "flaky_token" },
      operations: { send_message: { method: "GET", url: at("/job/x") } },
    };
    await createHttpRuntimeClient({
      manifest: { id: "channel.sms.flaky", runtime },
      config: {},
      secrets: async () => TOKEN,
      send: capture,
    }).perform("send_message", {});
    expect(sent[0]?.headers?.["x-api-key"]).toBe(TOKEN);
    expect(sent[0]?.credentialHeaders).toEqual(["x-api-key"]);
  });

  it("rejects when the host's sender fails with something other than an egress error", async () => {
    const broken: HttpRuntimeSender = async () => {
      throw new TypeError("the sender is broken");
    };
    await expect(
      client({ method: "GET", url: at("/job/x") }, { send: broken }).perform("send_message", {}),
    ).rejects.toThrow("the sender is broken");
  });
});

describe("perform: requests that cannot be built are results", () => {
  it("reports a missing input value, naming the operation, field and placeholder", async () => {
    const result = await client({
      method: "POST",
      url: at("/status/200"),
      body: { encoding: "json", template: { to: "{{ input.to }}" } },
    }).perform("send_message", {});
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: {
        code: "value_missing",
        path: "runtime.operations.send_message.body.template.to",
      },
    });
    expect(result.ok === false && result.error.message).toContain("{{ input.to }}");
  });

  it("reports a secret with no value, naming the key, and sends nothing", async () => {
    const seen = provider.seen.length;
    const runtime: HttpRuntime = {
      type: "http",
      allowedDomains: [HOST],
      auth: { scheme: "api_key_header", header: "X-Key", secret: "unset_key" },
      operations: { send_message: { method: "GET", url: at("/job/x") } },
    };
    const result = await createHttpRuntimeClient({
      manifest: { id: "channel.sms.flaky", runtime },
      config: {},
      secrets: async () => undefined,
      send: provider.sender([`network:outbound:${HOST}:${provider.port}`]),
    }).perform("send_message", {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: "secret_missing", path: "runtime.auth.secret" },
    });
    expect(result.ok === false && result.error.message).toContain('"unset_key"');
    expect(provider.seen.length).toBe(seen);
  });
});
