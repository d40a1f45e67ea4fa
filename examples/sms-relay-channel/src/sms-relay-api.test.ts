import type { PluginHttpResponse, SecretHandle } from "@plugboard/plugin-sdk";
import { describe, expect, it } from "vitest";
import { readRelayMessage, sendRequest, statusRequest } from "./sms-relay-api.js";

const TOKEN: SecretHandle = { kind: "secret_handle", key: "sms_relay_api_token" };

function response(status: number, body: string): PluginHttpResponse {
  return { status, headers: {}, body, json: () => JSON.parse(body) };
}

describe("requests to SMS Relay", () => {
  it("sends a message as JSON, with the token as a handle for a Bearer authorization header", () => {
    expect(sendRequest({ from: "+15550100", to: "+15550199", text: "hi" }, TOKEN)).toEqual({
      method: "POST",
      url: "https://api.smsrelay.example/v1/messages",
      headers: { accept: "application/json" },
      secretHeaders: { authorization: { ...TOKEN, prefix: "Bearer " } },
      body: { from: "+15550100", to: "+15550199", text: "hi" },
      timeoutMs: 10_000,
    });
  });

  it("asks for a message's status with its id escaped in the path", () => {
    expect(statusRequest("msg/1?x", TOKEN)).toMatchObject({
      method: "GET",
      url: "https://api.smsrelay.example/v1/messages/msg%2F1%3Fx",
      secretHeaders: { authorization: { ...TOKEN, prefix: "Bearer " } },
    });
  });
});

describe("readRelayMessage", () => {
  it("reads the id and status of a message SMS Relay answers with", () => {
    const answer = response(201, JSON.stringify({ id: "msg_1", status: "accepted", extra: 1 }));
    expect(readRelayMessage(answer, "send the message")).toEqual({
      id: "msg_1",
      status: "accepted",
    });
  });

  it("calls a 4xx a refusal, with SMS Relay's explanation", () => {
    const answer = response(401, JSON.stringify({ error: "invalid token" }));
    expect(() => readRelayMessage(answer, "send the message")).toThrow(
      "SMS Relay refused to send the message (HTTP 401: invalid token)",
    );
  });

  it("calls a 5xx SMS Relay's own failure, to try again later, even without a JSON body", () => {
    expect(() => readRelayMessage(response(503, "<html>busy</html>"), "send the message")).toThrow(
      "SMS Relay failed to send the message (HTTP 503); try again later",
    );
  });

  it("throws for a success without a message in it", () => {
    expect(() => readRelayMessage(response(200, '{"id":""}'), "look up message msg_1")).toThrow(
      "SMS Relay answered HTTP 200 to look up message msg_1 without { id, status }",
    );
    expect(() => readRelayMessage(response(200, "not json"), "look up message msg_1")).toThrow(
      "without { id, status }",
    );
  });

  it("keeps a long explanation short", () => {
    const answer = response(422, JSON.stringify({ error: "x".repeat(1_000) }));
    expect(() => readRelayMessage(answer, "send the message")).toThrow(
      `(HTTP 422: ${"x".repeat(200)})`,
    );
  });
});
