import { describe, expect, it } from "vitest";
import type { HopRequest } from "./egress-request.js";
import { redirectedRequest } from "./redirects.js";

const post: HopRequest = {
  method: "POST",
  url: "https://api.example.com/v1/send?x=1",
  headers: {
    authorization: "Bearer secret",
    "x-api-key": "secret",
    accept: "application/json",
    "content-type": "application/json",
  },
  body: '{"to":"+15550100"}',
  credentialHeaders: new Set(),
};

describe("redirectedRequest", () => {
  it("is undefined for a response that is not a redirect, or has no Location", () => {
    expect(redirectedRequest(post, 200, "https://api.example.com/")).toBeUndefined();
    expect(redirectedRequest(post, 304, "https://api.example.com/")).toBeUndefined();
    expect(redirectedRequest(post, 302, undefined)).toBeUndefined();
    expect(redirectedRequest(post, 302, "https://[::1")).toBeUndefined();
  });

  it("resolves a relative Location against the current URL and drops the fragment", () => {
    expect(redirectedRequest(post, 307, "../v2/send#frag")?.url).toBe(
      "https://api.example.com/v2/send",
    );
  });

  it("keeps method, body and every header on a 307 or 308 to the same origin", () => {
    for (const status of [307, 308]) {
      expect(redirectedRequest(post, status, "/v2/send")).toStrictEqual({
        ...post,
        url: "https://api.example.com/v2/send",
      });
    }
  });

  it("turns POST into GET without body or content headers on 301, 302 and 303", () => {
    for (const status of [301, 302, 303]) {
      expect(redirectedRequest(post, status, "/done")).toStrictEqual({
        method: "GET",
        url: "https://api.example.com/done",
        headers: {
          authorization: "Bearer secret",
          "x-api-key": "secret",
          accept: "application/json",
        },
        body: undefined,
        credentialHeaders: new Set(),
      });
    }
  });

  it("keeps PUT on a 301 or 302 but turns it into GET on a 303, and keeps HEAD", () => {
    const put: HopRequest = { ...post, method: "PUT" };
    expect(redirectedRequest(put, 302, "/x")?.method).toBe("PUT");
    expect(redirectedRequest(put, 303, "/x")?.method).toBe("GET");
    const head: HopRequest = { ...post, method: "HEAD", body: undefined };
    expect(redirectedRequest(head, 303, "/x")?.method).toBe("HEAD");
  });

  it("leaves credential-bearing headers behind when the redirect leaves the origin", () => {
    for (const location of [
      "https://other.example.com/v1/send",
      "http://api.example.com/v1/send",
      "https://api.example.com:8443/v1/send",
    ]) {
      expect(redirectedRequest(post, 307, location)?.headers).toStrictEqual({
        accept: "application/json",
        "content-type": "application/json",
      });
    }
  });

  it("leaves a credential header behind on a redirect to another origin, whatever its name", () => {
    const secretAccept: HopRequest = {
      ...post,
      headers: { accept: "secret-value", "user-agent": "secret-agent", "content-language": "en" },
      credentialHeaders: new Set(["accept", "user-agent"]),
    };
    expect(
      redirectedRequest(secretAccept, 307, "https://other.example.com/")?.headers,
    ).toStrictEqual({ "content-language": "en" });
    expect(redirectedRequest(secretAccept, 307, "/same-origin")?.headers).toStrictEqual(
      secretAccept.headers,
    );
  });
});
