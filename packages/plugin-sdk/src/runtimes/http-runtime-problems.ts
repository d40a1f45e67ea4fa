import type { KindProblem } from "../kinds/define-kind.js";
import type { HttpAuth, HttpRuntime } from "./http-runtime.js";

function authSecrets(auth: HttpAuth): Array<[field: string, secret: string]> {
  switch (auth.scheme) {
    case "none":
      return [];
    case "basic":
      return [
        ["usernameSecret", auth.usernameSecret],
        ["passwordSecret", auth.passwordSecret],
      ];
    case "bearer":
      return [["tokenSecret", auth.tokenSecret]];
    case "api_key_header":
    case "api_key_query":
      return [["secret", auth.secret]];
    default: {
      const exhaustive: never = auth;
      return exhaustive;
    }
  }
}

/**
 * Problems an HTTP runtime has with the manifest around it: auth secrets that are not
 * declared in `secretKeys`, and operations the kind does not declare (or misses).
 */
export function httpRuntimeProblems(
  runtime: HttpRuntime,
  secretKeys: readonly string[],
  declaredOperations: readonly string[],
): KindProblem[] {
  const problems: KindProblem[] = [];
  for (const [field, secret] of authSecrets(runtime.auth)) {
    if (!secretKeys.includes(secret)) {
      problems.push({
        path: `runtime.auth.${field}`,
        code: "secret_not_declared",
        message: `secret "${secret}" is not listed in secretKeys`,
      });
    }
  }
  const defined = Object.keys(runtime.operations);
  if (defined.length === 0) {
    problems.push({
      path: "runtime.operations",
      code: "operations_empty",
      message: "expected at least one operation",
    });
  }
  for (const name of defined) {
    if (!declaredOperations.includes(name)) {
      problems.push({
        path: `runtime.operations.${name}`,
        code: "operation_not_declared",
        message: `operation "${name}" is not one of the declared operations (${declaredOperations.join(", ")})`,
      });
    }
  }
  return problems;
}
