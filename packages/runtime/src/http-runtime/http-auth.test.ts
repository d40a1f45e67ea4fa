import { describe, expect, it } from "vitest";
import { applyAuth, authHeaderName, authQueryName } from "./http-auth.js";
import { HttpRuntimeError } from "./http-runtime-errors.js";

const SECRETS: Record<string, string> = { user: "AC-1", pass: "p:ss wörd", token: "tok-123" };
const resolve = async (key: string) => SECRETS[key];

describe("applyAuth", () => {
  it("sends basic credentials as base64 of user:password", async () => {
    const auth = { scheme: "basic", usernameSecret: "user", passwordSecret: "pass" } as const;
    const applied = await applyAuth(auth, "send_message", resolve);
    const encoded = Buffer.from("AC-1:p:ss wörd", "utf8").toString("base64");
    expect(applied.headers).toStrictEqual([["authorization", `Basic ${encoded}`]]);
    expect(applied.cuts.map((cut) => cut.value)).toStrictEqual(["AC-1", "p:ss wörd", encoded]);
    const shown = await applyAuth(auth, "send_message", "masked");
    expect(shown).toStrictEqual({
      headers: [["authorization", "Basic «secret:user»:«secret:pass»"]],
      query: [],
      cuts: [],
    });
  });

  it("sends a bearer token", async () => {
    const auth = { scheme: "bearer", tokenSecret: "token" } as const;
    expect((await applyAuth(auth, "x", resolve)).headers).toStrictEqual([
      ["authorization", "Bearer tok-123"],
    ]);
    expect((await applyAuth(auth, "x", "masked")).headers).toStrictEqual([
      ["authorization", "Bearer «secret:token»"],
    ]);
  });

  it("sends an api key in the header it names, lowercase", async () => {
    const auth = { scheme: "api_key_header", header: "X-Api-Key", secret: "token" } as const;
    expect(authHeaderName(auth)).toBe("x-api-key");
    expect(await applyAuth(auth, "x", resolve)).toMatchObject({
      headers: [["x-api-key", "tok-123"]],
      query: [],
    });
  });

  it("reads no secret for a masked dry run, so it works before any secret is set", async () => {
    const unreadable = async (): Promise<string | undefined> => {
      throw new Error("a masked render must not read secrets");
    };
    const auth = { scheme: "api_key_query", param: "api_key", secret: "token" } as const;
    expect(await applyAuth(auth, "x", "masked")).toStrictEqual({
      headers: [],
      query: [["api_key", "«secret:token»"]],
      cuts: [],
    });
    await expect(applyAuth(auth, "x", unreadable)).rejects.toThrow("must not read");
  });

  it("sends an api key as the query parameter it names", async () => {
    const auth = { scheme: "api_key_query", param: "api_key", secret: "token" } as const;
    expect(authQueryName(auth)).toBe("api_key");
    expect(await applyAuth(auth, "x", resolve)).toMatchObject({
      headers: [],
      query: [["api_key", "tok-123"]],
    });
  });

  it("adds nothing for none and reads no secret", async () => {
    let reads = 0;
    const counting = async (key: string) => {
      reads++;
      return SECRETS[key];
    };
    expect(await applyAuth({ scheme: "none" }, "x", counting)).toStrictEqual({
      headers: [],
      query: [],
      cuts: [],
    });
    expect(reads).toBe(0);
  });

  it.each([undefined, ""])(
    "refuses a secret whose value is %j, naming the key and field",
    async (value) => {
      const error = await applyAuth(
        { scheme: "basic", usernameSecret: "user", passwordSecret: "unset" },
        "send_message",
        async (key) => (key === "unset" ? value : SECRETS[key]),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HttpRuntimeError);
      expect(error).toMatchObject({
        code: "secret_missing",
        operation: "send_message",
        path: "runtime.auth.passwordSecret",
      });
      expect(String(error)).toContain('secret "unset" has no value set');
    },
  );

  it("reads secrets again on every call, so a rotated secret is used at once", async () => {
    let current = "first-token";
    const auth = { scheme: "bearer", tokenSecret: "token" } as const;
    const rotating = async () => current;
    expect((await applyAuth(auth, "x", rotating)).headers[0]?.[1]).toBe("Bearer first-token");
    current = "second-token";
    expect((await applyAuth(auth, "x", rotating)).headers[0]?.[1]).toBe("Bearer second-token");
  });
});
