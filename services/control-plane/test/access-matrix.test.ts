import {
  ProblemDetailsWireSchema,
  ROUTES,
  type RouteSpec,
  SCOPES,
  TokenCreateResponseWireSchema,
} from "@plugboard/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningControlPlane, startControlPlane } from "./running-control-plane.js";

/** A path with every `{name}` filled by a value of the right form that names nothing. */
const concretePath = (path: string) =>
  path.replaceAll(/\{(\w+)\}/g, (_match, name: string) =>
    name === "id" || name === "plugin" || name === "pluginId" ? "provider.matrix-absent" : "absent",
  );

/**
 * Every route of the table × every scope: no token is 401, a token holding every scope but
 * the route's is 403, and a token holding only the route's scope gets past access control.
 * Generated from the route table, so a new route is covered the day it is declared.
 */
describe("access control over the route table", () => {
  let server: RunningControlPlane;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    server = await startControlPlane("access-matrix");
    const grant = async (name: string, scopes: string[]) => {
      const response = await server.request("POST", "/v1/tokens", { body: { name, scopes } });
      expect(response.status).toBe(201);
      return TokenCreateResponseWireSchema.parse(await response.json()).token;
    };
    for (const scope of SCOPES) {
      tokens.set(`only ${scope}`, await grant(`only ${scope}`, [scope]));
      tokens.set(
        `all but ${scope}`,
        await grant(
          `all but ${scope}`,
          SCOPES.filter((s) => s !== scope),
        ),
      );
    }
  });
  afterAll(() => server.stop());

  const call = (route: RouteSpec, token: string | null, headers = {}) =>
    server.request(route.method, concretePath(route.path), {
      token,
      headers,
      ...(route.body === undefined ? {} : { body: {} }),
    });

  for (const route of ROUTES) {
    describe(`${route.method} ${route.path} (${route.scope})`, () => {
      it("answers 401 without a token, with a malformed header and with an unknown token", async () => {
        expect((await call(route, null)).status).toBe(401);
        expect((await call(route, null, { authorization: "Basic YWRtaW46YWRtaW4=" })).status).toBe(
          401,
        );
        expect((await call(route, "pbt_not-a-token-this-server-issued")).status).toBe(401);
      });

      it("answers 403 to a token holding every other scope", async () => {
        const response = await call(route, tokens.get(`all but ${route.scope}`) ?? "");
        expect(response.status).toBe(403);
        expect(ProblemDetailsWireSchema.parse(await response.json()).detail).toContain(route.scope);
      });

      it("lets a token holding only its scope through", async () => {
        const response = await call(route, tokens.get(`only ${route.scope}`) ?? "");
        expect([401, 403]).not.toContain(response.status);
      });
    });
  }
});
