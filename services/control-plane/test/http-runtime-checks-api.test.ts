import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HttpRenderResultWireSchema,
  HttpRuntimeValidationResultWireSchema,
  ProblemDetailsWireSchema,
} from "@plugboard/contracts";
import { faxlineFaxChannel } from "@plugboard/plugin-manifests";
import type { HttpRuntime } from "@plugboard/plugin-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAXLINE_HOST, type FakeFaxline, startFakeFaxline } from "./fake-faxline.js";
import { acmeFax, faxRuntime, operationOf } from "./fax-channel-manifests.js";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";
import { firstPartyCopy } from "./third-party-manifests.js";

const SENDER = "+15550100";
const FAX_INPUT = { to: "+15550199", document_url: "https://files.acme.example/contract.pdf" };

/** A third-party action executor whose HTTP operation reads its input as given. */
function webhookExecutor() {
  return {
    ...firstPartyCopy("action.smtp-reviewed-send"),
    id: "action.acme-notify",
    owner: "third_party",
    stability: "experimental",
    setupSteps: [],
    secretKeys: [],
    permissions: [`network:outbound:${FAXLINE_HOST}`],
    runtime: {
      type: "http",
      allowedDomains: [FAXLINE_HOST],
      auth: { scheme: "none" },
      operations: {
        send_email: {
          method: "POST",
          url: `https://${FAXLINE_HOST}/v1/notices`,
          body: { encoding: "json", template: { message_id: "{{ input.message_id }}" } },
          timeoutMs: 5_000,
        },
      },
    },
  };
}

describe("checking and rendering declarative HTTP runtimes", { timeout: 30_000 }, () => {
  let dir: string;
  let faxline: FakeFaxline;
  let server: RunningControlPlane;

  const validate = async (manifest: unknown) => {
    const response = await server.request("POST", "/v1/plugins/http/validate", {
      body: { manifest },
    });
    expect(response.status).toBe(200);
    return HttpRuntimeValidationResultWireSchema.parse(await response.json());
  };
  const render = (body: Record<string, unknown>) =>
    server.request("POST", "/v1/plugins/http/render", { body });
  const rendered = async (body: Record<string, unknown>) => {
    const response = await render(body);
    expect(response.status).toBe(200);
    return HttpRenderResultWireSchema.parse(await response.json());
  };
  const refused = async (response: Response) => {
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = ProblemDetailsWireSchema.parse(await response.json());
    expect(problem.code).toBe("PLUGBOARD_VALIDATION_FAILED");
    return problem;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "plugboard-http-checks-"));
    faxline = await startFakeFaxline({ token: "faxline-token-Zr40-checks", dir });
    server = await startControlPlane("http-runtime-checks", faxline.env);
    const config = await server.request("PUT", `/v1/plugins/${faxlineFaxChannel.id}/config`, {
      body: { config: { senderNumber: SENDER } },
      headers: { "if-match": '"0"' },
    });
    expect(config.status).toBe(200);
  });
  afterAll(async () => {
    // Nothing here sends: every check and dry run stays inside the control plane.
    expect(faxline.seen).toEqual([]);
    await server.stop();
    await faxline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders a manifest given in the body with the config given with it", async () => {
    const result = await rendered({
      manifest: acmeFax("1.0.0"),
      config: { senderNumber: "+15550111", coverPage: false },
      operation: "send_fax",
      input: FAX_INPUT,
    });
    expect(result.request).toMatchObject({
      method: "POST",
      url: `https://${FAXLINE_HOST}/v1/faxes`,
      headers: { authorization: "Bearer «secret:faxline_api_token»" },
    });
    expect(JSON.parse(result.request.body ?? "")).toEqual({
      to: FAX_INPUT.to,
      from: "+15550111",
      document_url: FAX_INPUT.document_url,
      cover_page: false,
    });
  });

  it("takes the same input as a send, in the same spelling", async () => {
    const result = await rendered({
      plugin_id: faxlineFaxChannel.id,
      operation: "send_fax",
      input: FAX_INPUT,
    });
    expect(JSON.parse(result.request.body ?? "")).toMatchObject({
      document_url: FAX_INPUT.document_url,
    });
    const status = await rendered({
      plugin_id: faxlineFaxChannel.id,
      operation: "get_status",
      input: { job_id: "fax_9" },
    });
    expect(status.request.url).toBe(`https://${FAXLINE_HOST}/v1/faxes/fax_9`);

    // The code spelling is refused by both, the same way.
    const codeSpelling = { to: FAX_INPUT.to, documentUrl: FAX_INPUT.document_url };
    const renderProblem = await refused(
      await render({ plugin_id: faxlineFaxChannel.id, operation: "send_fax", input: codeSpelling }),
    );
    const sendProblem = await refused(
      await server.request("POST", `/v1/channels/${faxlineFaxChannel.id}/send`, {
        body: { operation: "send_fax", input: codeSpelling },
      }),
    );
    expect(renderProblem.errors.map(({ path, code }) => [path, code])).toEqual(
      sendProblem.errors.map(({ path, code }) => [path, code]),
    );
    expect(renderProblem.errors).toContainEqual(
      expect.objectContaining({ path: "input.document_url", code: "invalid_type" }),
    );
  });

  it("refuses to render an unknown operation or an input without a value the request needs", async () => {
    const unknown = await refused(
      await render({ plugin_id: faxlineFaxChannel.id, operation: "send_telex", input: {} }),
    );
    expect(unknown.errors).toEqual([
      {
        path: "operation",
        code: "unknown_operation",
        message: "expected one of send_fax, get_status",
      },
    ]);
    const noJobId = await refused(
      await render({ plugin_id: faxlineFaxChannel.id, operation: "get_status" }),
    );
    expect(noJobId.errors).toEqual([
      expect.objectContaining({ path: "input.job_id", code: "invalid_type" }),
    ]);
    // An operation that is not a channel's takes its input as given; a missing value is named.
    const missing = await refused(
      await render({ manifest: webhookExecutor(), operation: "send_email", input: {} }),
    );
    expect(missing.errors).toEqual([
      expect.objectContaining({
        path: "runtime.operations.send_email.body.template.message_id",
        code: "value_missing",
      }),
    ]);
    const given = await rendered({
      manifest: webhookExecutor(),
      operation: "send_email",
      input: { message_id: "msg_1" },
    });
    expect(given.request.body).toBe('{"message_id":"msg_1"}');
  });

  it("answers not_http_runtime for a manifest without an HTTP runtime", async () => {
    const manifest: Record<string, unknown> = acmeFax("1.0.0", { id: "channel.fax.plain" });
    delete manifest.runtime;
    const verdict = await validate(manifest);
    expect(verdict).toMatchObject({ valid: false, warnings: [] });
    expect(verdict.issues).toEqual([
      {
        path: "runtime",
        code: "not_http_runtime",
        message: 'expected a runtime of type "http"; this channel has none',
      },
    ]);
    const problem = await refused(await render({ manifest, operation: "send_fax", input: {} }));
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: "manifest.runtime", code: "not_http_runtime" }),
    ]);
  });

  it("warns about allowed domains no operation calls and whole registrable domains", async () => {
    const runtime: HttpRuntime = {
      ...faxRuntime(),
      allowedDomains: [FAXLINE_HOST, "faxline.example", "files.faxline.example"],
    };
    const verdict = await validate(
      acmeFax("1.0.0", {
        runtime,
        permissions: runtime.allowedDomains.map((domain) => `network:outbound:${domain}`),
      }),
    );
    expect(verdict.valid).toBe(true);
    expect(verdict.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "runtime.allowedDomains[1]", code: "domain_registrable" }),
        expect.objectContaining({ path: "runtime.allowedDomains[2]", code: "domain_unused" }),
      ]),
    );
    expect(verdict.warnings.filter(({ code }) => code.startsWith("domain_"))).toHaveLength(2);
  });

  it("warns about a channel whose send maps no job_id, so its jobs cannot be refreshed", async () => {
    const runtime = faxRuntime();
    const sendFax = operationOf(runtime, "send_fax");
    sendFax.response = { ...sendFax.response, fields: { provider_ref: "id" } };
    const verdict = await validate(acmeFax("1.0.0", { runtime }));
    expect(verdict.valid).toBe(true);
    expect(verdict.warnings).toContainEqual(
      expect.objectContaining({
        path: "runtime.operations.send_fax.response.fields",
        code: "job_id_missing",
      }),
    );
  });

  it("gives a render the warnings of its own operation, not of one whose name it begins", async () => {
    const runtime = faxRuntime();
    const sendFax = operationOf(runtime, "send_fax");
    runtime.operations.send = structuredClone(sendFax);
    delete sendFax.timeoutMs;
    const manifest = acmeFax("1.0.0", {
      id: "channel.fax.twice",
      operations: ["send", "send_fax", "get_status"],
      runtime,
    });
    const config = { senderNumber: SENDER };
    const input = { to: FAX_INPUT.to, documentUrl: FAX_INPUT.document_url };
    const send = await rendered({ manifest, config, operation: "send", input });
    expect(send.warnings).toEqual([]);
    const fax = await rendered({ manifest, config, operation: "send_fax", input: FAX_INPUT });
    expect(fax.warnings).toEqual([
      expect.objectContaining({
        path: "runtime.operations.send_fax.timeoutMs",
        code: "timeout_missing",
      }),
    ]);
  });
});
