import type { HttpOperation, HttpRuntime } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { httpRuntimeWarnings } from "./http-runtime-warnings.js";
import { faxlineChannel, textlineChannel } from "./testing/provider-manifests.js";

const sendFax: HttpOperation = {
  method: "POST",
  url: "https://api.faxline.example/v1/faxes",
  response: { fields: { job_id: "id" }, statusPath: "status", statusMap: { sent: "succeeded" } },
  timeoutMs: 10_000,
};

function runtime(
  operations: Record<string, HttpOperation>,
  allowedDomains = ["api.faxline.example"],
): HttpRuntime {
  return { type: "http", allowedDomains, auth: { scheme: "none" }, operations };
}

const codes = (warnings: { code: string; path: string }[]) =>
  warnings.map(({ code, path }) => [code, path]);

describe("httpRuntimeWarnings", () => {
  it("finds only the missing get_status timeout in the Faxline and Textline channels", () => {
    for (const channel of [faxlineChannel(443), textlineChannel(443)]) {
      expect(codes(httpRuntimeWarnings(channel)), channel.id).toStrictEqual([
        ["timeout_missing", "runtime.operations.get_status.timeoutMs"],
      ]);
    }
  });

  it("gives nothing for a runtime with nothing suspicious", () => {
    const clean = runtime({ send_fax: sendFax, get_status: { ...sendFax, method: "GET" } });
    expect(httpRuntimeWarnings({ kind: "channel", runtime: clean })).toStrictEqual([]);
  });

  it("warns about an allowed domain that no operation calls", () => {
    const warnings = httpRuntimeWarnings({
      runtime: runtime({ send_fax: sendFax }, ["api.faxline.example", "files.faxline.example"]),
    });
    expect(warnings).toStrictEqual([
      {
        path: "runtime.allowedDomains[1]",
        code: "domain_unused",
        message:
          "no operation URL calls files.faxline.example; remove it, or it allows more than the runtime needs",
      },
    ]);
  });

  it("warns about a whole registrable domain when operations only call its subdomains", () => {
    const warnings = httpRuntimeWarnings({
      runtime: runtime({ send_fax: sendFax }, ["faxline.example", "api.faxline.example"]),
    });
    expect(codes(warnings)).toStrictEqual([["domain_registrable", "runtime.allowedDomains[0]"]]);
    expect(warnings[0]?.message).toContain("api.faxline.example");
  });

  it("says nothing about a two-label domain that an operation calls", () => {
    const apex = { ...sendFax, url: "https://faxline.example/v1" };
    expect(
      httpRuntimeWarnings({ runtime: runtime({ send_fax: apex }, ["faxline.example"]) }),
    ).toStrictEqual([]);
  });

  it.each(["send_message", "send_fax", "place_call"])(
    "warns about a channel with %s but no get_status",
    (name) => {
      const warnings = httpRuntimeWarnings({
        kind: "channel",
        runtime: runtime({ [name]: sendFax }),
      });
      expect(codes(warnings)).toStrictEqual([["status_operation_missing", "runtime.operations"]]);
    },
  );

  it("warns about a channel send whose mapping names no job_id when the channel has get_status", () => {
    const getStatus = { ...sendFax, method: "GET" as const };
    const noFields: HttpOperation = {
      ...sendFax,
      response: { statusPath: "status", statusMap: { sent: "succeeded" } },
    };
    const otherName: HttpOperation = {
      ...sendFax,
      response: { ...sendFax.response, fields: { id: "id" } },
    };
    const warnings = httpRuntimeWarnings({
      kind: "channel",
      runtime: runtime({ send_fax: noFields, send_message: otherName, get_status: getStatus }),
    });
    expect(codes(warnings)).toStrictEqual([
      ["job_id_missing", "runtime.operations.send_fax.response"],
      ["job_id_missing", "runtime.operations.send_message.response.fields"],
    ]);
    expect(warnings[0]?.message).toBe(
      "send_fax's response mapping has no job_id field, so its jobs get no provider job id and get_status can never be asked about them",
    );
  });

  it("does not ask for a job_id where nothing could use it", () => {
    const noFields: HttpOperation = {
      ...sendFax,
      response: { statusPath: "status", statusMap: { sent: "succeeded" } },
    };
    const getStatus = { ...noFields, method: "GET" as const };
    // No get_status to ask, or not a channel: status_operation_missing or nothing instead.
    expect(
      codes(httpRuntimeWarnings({ kind: "channel", runtime: runtime({ send_fax: noFields }) })),
    ).toStrictEqual([["status_operation_missing", "runtime.operations"]]);
    expect(
      httpRuntimeWarnings({
        kind: "action_executor",
        runtime: runtime({ send_fax: noFields, get_status: getStatus }),
      }),
    ).toStrictEqual([]);
  });

  it("does not ask an action executor for get_status", () => {
    const warnings = httpRuntimeWarnings({
      kind: "action_executor",
      runtime: runtime({ send_fax: sendFax }),
    });
    expect(warnings).toStrictEqual([]);
  });

  it("warns about a statusPath without a statusMap and a statusMap without a statusPath", () => {
    const warnings = httpRuntimeWarnings({
      runtime: runtime({
        send_fax: { ...sendFax, response: { statusPath: "status" } },
        get_status: { ...sendFax, response: { statusMap: { sent: "succeeded" } } },
      }),
    });
    expect(codes(warnings)).toStrictEqual([
      ["status_map_missing", "runtime.operations.send_fax.response.statusPath"],
      ["status_path_missing", "runtime.operations.get_status.response.statusMap"],
    ]);
  });
});
