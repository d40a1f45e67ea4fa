import { describe, expect, it } from "vitest";
import type { HttpRuntime } from "./http-runtime.js";
import { httpRuntimeProblems } from "./http-runtime-problems.js";

function runtimeWith(auth: HttpRuntime["auth"], operations: string[]): HttpRuntime {
  return {
    type: "http",
    allowedDomains: ["api.example.com"],
    auth,
    operations: Object.fromEntries(
      operations.map((name) => [name, { method: "POST", url: `https://api.example.com/${name}` }]),
    ),
  };
}

describe("httpRuntimeProblems", () => {
  it("finds nothing when auth secrets are declared and every operation is declared", () => {
    const runtime = runtimeWith({ scheme: "bearer", tokenSecret: "token" }, ["send_fax"]);
    expect(httpRuntimeProblems(runtime, ["token"], ["send_fax", "get_status"])).toEqual([]);
  });

  it("needs no secret for auth scheme none", () => {
    expect(
      httpRuntimeProblems(runtimeWith({ scheme: "none" }, ["send_fax"]), [], ["send_fax"]),
    ).toEqual([]);
  });

  it("reports each undeclared secret of basic auth at its own field", () => {
    const runtime = runtimeWith(
      { scheme: "basic", usernameSecret: "USER", passwordSecret: "PASS" },
      ["send_fax"],
    );
    expect(httpRuntimeProblems(runtime, [], ["send_fax"]).map((p) => p.path)).toEqual([
      "runtime.auth.usernameSecret",
      "runtime.auth.passwordSecret",
    ]);
  });

  it.each(["api_key_header", "api_key_query"] as const)(
    "reports the undeclared secret of %s auth",
    (scheme) => {
      const auth: HttpRuntime["auth"] =
        scheme === "api_key_header"
          ? { scheme, header: "X-Api-Key", secret: "api_key" }
          : { scheme, param: "key", secret: "api_key" };
      expect(httpRuntimeProblems(runtimeWith(auth, ["send_fax"]), ["other"], ["send_fax"])).toEqual(
        [
          {
            path: "runtime.auth.secret",
            code: "secret_not_declared",
            message: 'secret "api_key" is not listed in secretKeys',
          },
        ],
      );
    },
  );

  it("reports an empty operations record and each undeclared operation", () => {
    expect(httpRuntimeProblems(runtimeWith({ scheme: "none" }, []), [], ["send_fax"])).toEqual([
      {
        path: "runtime.operations",
        code: "operations_empty",
        message: "expected at least one operation",
      },
    ]);
    const extra = runtimeWith({ scheme: "none" }, ["send_fax", "place_call"]);
    expect(httpRuntimeProblems(extra, [], ["send_fax"])).toEqual([
      {
        path: "runtime.operations.place_call",
        code: "operation_not_declared",
        message: 'operation "place_call" is not one of the declared operations (send_fax)',
      },
    ]);
  });
});
