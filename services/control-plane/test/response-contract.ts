import { PROBLEM_CONTENT_TYPE, ProblemDetailsWireSchema, ROUTES } from "@plugboard/contracts";
import type { z } from "zod";

const matchers = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replaceAll(/\{\w+\}/g, "[^/]+")}$`),
}));

/** The declared route a request went to, if any. */
function routeOf(method: string, path: string) {
  const pathname = path.split("?")[0] ?? path;
  return matchers.find(
    ({ route, pattern }) => route.method === method.toUpperCase() && pattern.test(pathname),
  )?.route;
}

/**
 * Checks a response against the contracts: a declared route's success body against its wire
 * response schema, and every problem document against the problem schema. Throws naming the
 * route and the offending paths, so any test that calls the API checks what it got.
 */
export async function checkResponseContract(
  method: string,
  path: string,
  response: Response,
): Promise<void> {
  const route = routeOf(method, path);
  const contentType = response.headers.get("content-type") ?? "";
  let schema: z.ZodType | undefined;
  let what = "";
  if (contentType.startsWith(PROBLEM_CONTENT_TYPE)) {
    schema = ProblemDetailsWireSchema;
    what = "problem document";
  } else if (route !== undefined && response.status === route.successStatus) {
    schema = route.wire.response as z.ZodType;
    what = `${route.operationId} response`;
  }
  if (schema === undefined) return;
  const result = schema.safeParse(await response.clone().json());
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(
      `${method} ${path}: the ${what} breaks its contract:\n  ${issues.join("\n  ")}`,
    );
  }
  if (route !== undefined && response.status >= 400) {
    const { code } = (await response.clone().json()) as { code: string };
    if (!(route.errors as readonly string[]).includes(code)) {
      throw new Error(
        `${method} ${path}: answered ${code}, which ${route.operationId} does not declare`,
      );
    }
  }
}
