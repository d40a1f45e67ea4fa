import { describe, expect, it } from "vitest";
import { EgressDeniedError } from "./egress-errors.js";
import { parseEgressRequest } from "./egress-request.js";

function refusal(run: () => unknown): EgressDeniedError {
  try {
    run();
  } catch (error) {
    if (error instanceof EgressDeniedError) return error;
    throw error;
  }
  throw new Error("expected the request to be refused");
}

describe("parseEgressRequest", () => {
  it("defaults to GET, upper-cases the method and lower-cases header names", () => {
    expect(
      parseEgressRequest({
        method: "post",
        url: "https://api.example.com/",
        headers: { "X-Api-Key": "k", Accept: "application/json" },
        body: "{}",
      }),
    ).toStrictEqual({
      method: "POST",
      url: "https://api.example.com/",
      headers: { "x-api-key": "k", accept: "application/json" },
      body: "{}",
      credentialHeaders: new Set(),
    });
    expect(parseEgressRequest({ url: "https://api.example.com/" }).method).toBe("GET");
    expect(
      parseEgressRequest({
        url: "https://api.example.com/",
        credentialHeaders: ["X-Api-Key", "Accept"],
      }).credentialHeaders,
    ).toStrictEqual(new Set(["x-api-key", "accept"]));
  });

  it.each([
    ["CONNECT", "CONNECT"],
    ["TRACE", "TRACE"],
    ["a made-up method", "BREW"],
  ])("refuses the method %s", (_label, method) => {
    const error = refusal(() => parseEgressRequest({ method, url: "https://api.example.com/" }));
    expect(error.reason).toBe("invalid_request");
    expect(error.host).toBe("api.example.com");
  });

  it.each(["Host", "content-length", "Transfer-Encoding", "connection", "upgrade", "expect"])(
    "refuses the header %s, which the guard sets itself",
    (name) => {
      const error = refusal(() =>
        parseEgressRequest({ url: "https://api.example.com/", headers: { [name]: "x" } }),
      );
      expect(error.reason).toBe("invalid_request");
      expect(error.message).toBe(`header "${name}" is set by the egress guard`);
    },
  );

  it.each([
    ["a CR LF in a value", { "x-note": "a\r\nhost: evil.example" }],
    ["a space in a name", { "x note": "a" }],
    ["an empty name", { "": "a" }],
  ])("refuses %s", (_label, headers) => {
    const error = refusal(() => parseEgressRequest({ url: "https://api.example.com/", headers }));
    expect(error.reason).toBe("invalid_request");
  });

  it("refuses a body on GET and HEAD", () => {
    for (const method of ["GET", "HEAD"]) {
      const error = refusal(() =>
        parseEgressRequest({ method, url: "https://api.example.com/", body: "x" }),
      );
      expect(error.message).toBe(`a ${method} request cannot have a body`);
    }
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses a timeoutMs of %s",
    (timeoutMs) => {
      const error = refusal(() =>
        parseEgressRequest({ url: "https://api.example.com/", timeoutMs }),
      );
      expect(error.reason).toBe("invalid_request");
    },
  );
});
