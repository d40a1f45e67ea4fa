import type { KindProblem } from "../kinds/define-kind.js";
import type { HttpRuntime } from "./http-runtime.js";

// The scheme and host of an operation URL must be written literally: a placeholder there
// would let input choose where the request goes.
const LITERAL_ORIGIN = /^https:\/\/([a-z0-9.-]+)(?::([0-9]{1,5}))?(?:[/?]|$)/;

/**
 * Problems with where an HTTP runtime may send requests: every operation URL is `https://`
 * with a literal host listed in `allowedDomains`, and every allowed domain is granted by a
 * `network:outbound:<domain>` permission, so the manifest says the same thing twice over
 * and an operator sees every host in the permission list.
 */
export function httpEgressProblems(
  runtime: HttpRuntime,
  permissions: readonly string[],
): KindProblem[] {
  const problems: KindProblem[] = [];
  const allowed = new Set(runtime.allowedDomains);
  for (const [name, operation] of Object.entries(runtime.operations)) {
    const path = `runtime.operations.${name}.url`;
    const match = LITERAL_ORIGIN.exec(operation.url);
    if (match === null) {
      problems.push({
        path,
        code: "url_origin_not_literal",
        message:
          "expected an https:// URL whose host is written out, such as https://api.example.com/v1/send",
      });
      continue;
    }
    const host = match[1] ?? "";
    if (!allowed.has(host)) {
      problems.push({
        path,
        code: "url_host_not_allowed",
        message: `host "${host}" is not listed in runtime.allowedDomains`,
      });
    }
  }
  runtime.allowedDomains.forEach((domain, index) => {
    const granted = permissions.some(
      (permission) =>
        permission === `network:outbound:${domain}` ||
        permission.startsWith(`network:outbound:${domain}:`),
    );
    if (!granted) {
      problems.push({
        path: `runtime.allowedDomains[${index}]`,
        code: "permission_missing",
        message: `expected the permission network:outbound:${domain} for this allowed domain`,
      });
    }
  });
  return problems;
}
