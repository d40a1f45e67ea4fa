import type { HttpResponseMapping } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import {
  classifyHttpStatus,
  compileResponseMapping,
  mapResponse,
} from "./http-response-mapping.js";

const mapping: HttpResponseMapping = {
  fields: { job_id: "data.id", first_page: "data.pages[0].status", raw: "data" },
  statusPath: "data.state",
  statusMap: { sent: "succeeded", queued: "queued" },
};

const map = (body: unknown, with_: HttpResponseMapping | undefined = mapping) =>
  mapResponse(
    compileResponseMapping("get_status", with_),
    typeof body === "string" ? body : JSON.stringify(body),
  );

describe("classifyHttpStatus", () => {
  it.each([
    [200, "ok"],
    [201, "ok"],
    [204, "ok"],
    [299, "ok"],
    [408, "retryable"],
    [425, "retryable"],
    [429, "retryable"],
    [500, "retryable"],
    [503, "retryable"],
    [599, "retryable"],
    [400, "permanent"],
    [401, "permanent"],
    [404, "permanent"],
    [409, "permanent"],
    [422, "permanent"],
    [304, "permanent"],
    [101, "permanent"],
  ])("classifies %i as %s", (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe("mapResponse", () => {
  it("reads fields and maps the provider status", () => {
    const body = { data: { id: "f-1", state: "sent", pages: [{ status: "ok" }] } };
    expect(map(body)).toStrictEqual({
      ok: true,
      fields: { job_id: "f-1", first_page: "ok", raw: body.data },
      providerStatus: "sent",
      status: "succeeded",
      warnings: [],
    });
  });

  it("leaves out a field the response lacks, with a warning at its path", () => {
    const result = map({ data: { state: "queued" } });
    expect(result).toMatchObject({ ok: true, status: "queued" });
    expect(result.ok && result.fields).toStrictEqual({ raw: { state: "queued" } });
    expect(result.ok && result.warnings).toStrictEqual([
      {
        code: "field_missing",
        path: "runtime.operations.get_status.response.fields.job_id",
        message: "the response has no data.id, so job_id is left out",
      },
      {
        code: "field_missing",
        path: "runtime.operations.get_status.response.fields.first_page",
        message: "the response has no data.pages, so first_page is left out",
      },
    ]);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "SENT", "lost"])(
    "reports the unknown provider status %j with no job status",
    (state) => {
      const result = map({ data: { id: "x", state, pages: [{ status: "a" }] } });
      expect(result).toMatchObject({ ok: true, providerStatus: state, status: undefined });
      expect(
        result.ok && result.warnings.map((warning) => [warning.code, warning.path]),
      ).toStrictEqual([["status_unknown", "runtime.operations.get_status.response.statusMap"]]);
    },
  );

  it("looks up a numeric provider status by its decimal text", () => {
    const result = map(
      { data: { state: 2 } },
      { statusPath: "data.state", statusMap: { "2": "failed" } },
    );
    expect(result).toMatchObject({ ok: true, providerStatus: "2", status: "failed" });
  });

  it("warns when the status is absent or not text", () => {
    const missing = map({ data: {} }, { statusPath: "data.state", statusMap: {} });
    expect(missing.ok && missing.warnings.map((warning) => warning.code)).toStrictEqual([
      "status_missing",
    ]);
    for (const state of [null, true, { a: 1 }, ["sent"]]) {
      const odd = map(
        { data: { state } },
        { statusPath: "data.state", statusMap: { sent: "succeeded" } },
      );
      expect(odd).toMatchObject({ ok: true, providerStatus: undefined, status: undefined });
      expect(odd.ok && odd.warnings.map((warning) => warning.code)).toStrictEqual([
        "status_not_text",
      ]);
    }
  });

  it("reports the provider status without a job status when there is no status map", () => {
    expect(map({ s: "done" }, { statusPath: "s" })).toMatchObject({
      ok: true,
      providerStatus: "done",
      status: undefined,
      warnings: [],
    });
  });

  it("fails a body that is not JSON when the mapping reads it", () => {
    expect(map("<html>busy</html>")).toStrictEqual({
      ok: false,
      message: "the response body is not JSON, but the operation maps it",
    });
    expect(map("")).toMatchObject({ ok: false });
  });

  it("does not parse the body when nothing is mapped", () => {
    const nothing = compileResponseMapping("get_status", undefined);
    expect(mapResponse(nothing, "<html>")).toMatchObject({ ok: true, fields: {} });
    expect(map("<html>", {})).toMatchObject({ ok: true, fields: {} });
  });
});
