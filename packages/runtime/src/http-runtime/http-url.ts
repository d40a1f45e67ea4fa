import { HttpRuntimeError } from "./http-runtime-errors.js";
import {
  type ParsedTemplate,
  parseTemplate,
  renderText,
  type TemplatePart,
  type TemplateValues,
} from "./http-template.js";

/** An operation URL parsed once: the template split at the end of its path, and its origin. */
export interface CompiledUrl {
  readonly operation: string;
  readonly path: string;
  /** The template up to its first literal `?` or `#`. */
  readonly pathParts: ParsedTemplate;
  /** The query and fragment of the template, if any. */
  readonly restParts: ParsedTemplate;
  /** The origin written out in the template, such as `https://api.example.com`. */
  readonly origin: string;
  /** The query parameters of the operation's `query`, rendered with form encoding. */
  readonly query: readonly (readonly [name: string, template: ParsedTemplate])[];
}

// The scheme and authority as written before the first placeholder; the authority must be
// followed by `/`, `?` or `#` in the literal text, or end the template.
const LITERAL_ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\\]+(?=[/?#]|$)/;

/**
 * The origin an operation URL template writes out before any placeholder, such as
 * `https://api.example.com`, or undefined when a placeholder could reach the scheme, host or
 * port.
 */
export function literalUrlOrigin(url: string): URL | undefined {
  const placeholder = url.indexOf("{{");
  const prefix = placeholder === -1 ? url : url.slice(0, placeholder);
  const literal = LITERAL_ORIGIN.exec(prefix)?.[0];
  if (literal === undefined || (placeholder !== -1 && literal.length === prefix.length)) {
    return undefined;
  }
  return URL.canParse(literal) ? new URL(literal) : undefined;
}

function splitAtPathEnd(template: ParsedTemplate): [TemplatePart[], TemplatePart[]] {
  const path: TemplatePart[] = [];
  const rest: TemplatePart[] = [];
  for (const part of template.parts) {
    if (rest.length > 0 || part.kind === "placeholder") {
      (rest.length > 0 ? rest : path).push(part);
      continue;
    }
    const end = part.text.search(/[?#]/);
    if (end === -1) path.push(part);
    else {
      path.push({ kind: "text", text: part.text.slice(0, end) });
      rest.push({ kind: "text", text: part.text.slice(end) });
    }
  }
  return [path, rest];
}

/**
 * Parses an operation's URL and query templates once. The scheme, host and port must be
 * literal text: `url_not_literal` otherwise, so no input can choose where a request goes.
 */
export function compileUrl(
  url: string,
  query: Readonly<Record<string, string>>,
  operation: string,
): CompiledUrl {
  const template = parseTemplate(url, { operation, field: ["url"] });
  const [pathParts, restParts] = splitAtPathEnd(template);
  const origin = literalUrlOrigin(url);
  if (origin === undefined) {
    throw new HttpRuntimeError(
      "url_not_literal",
      "expected a URL whose scheme and host are written out before any placeholder, such as https://api.example.com/v1/faxes/{{ input.jobId }}",
      { operation, path: template.path },
    );
  }
  return {
    operation,
    path: template.path,
    pathParts: { ...template, parts: pathParts },
    restParts: { ...template, parts: restParts },
    origin: origin.origin,
    query: Object.entries(query).map(([name, text]) => [
      name,
      parseTemplate(text, { operation, field: ["query", name] }),
    ]),
  };
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The path segment around `[start, end)` of `text`, between the nearest slashes. */
function segmentAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf("/", start - 1) + 1;
  const to = text.indexOf("/", end);
  return text.slice(from, to === -1 ? undefined : to);
}

/**
 * The path with every placeholder `encodeURIComponent`-ed, refusing a placeholder whose
 * segment ends up empty or a dot segment (`.`, `..`, `%2e`): the URL parser would drop or
 * climb it, and the request would address another resource.
 */
function renderPath(compiled: CompiledUrl, values: TemplateValues): string {
  let text = "";
  const placed: { source: string; start: number; end: number }[] = [];
  for (const part of compiled.pathParts.parts) {
    if (part.kind === "text") {
      text += part.text;
      continue;
    }
    const start = text.length;
    text += renderText({ ...compiled.pathParts, parts: [part] }, values, encodeURIComponent);
    placed.push({ source: part.source, start, end: text.length });
  }
  // Checked once the whole path is written: later text may still extend a segment.
  for (const { source, start, end } of placed) {
    const segment = segmentAround(text, start, end);
    if (segment === "" || DOT_SEGMENT.test(segment)) {
      throw new HttpRuntimeError(
        "url_invalid",
        `${source} makes the path segment "${segment}", which would address another resource`,
        { operation: compiled.operation, path: compiled.path },
      );
    }
  }
  return text;
}

/** Appends form-encoded parameters to the URL's query, keeping the query already written. */
function appendQuery(url: URL, parameters: readonly (readonly [string, string])[]): void {
  if (parameters.length === 0) return;
  const added = new URLSearchParams(
    parameters.map(([name, value]): [string, string] => [name, value]),
  ).toString();
  url.search = url.search === "" ? added : `${url.search.slice(1)}&${added}`;
}

/**
 * Renders an operation URL: path placeholders `encodeURIComponent`-ed, then the operation's
 * `query` and the auth scheme's query parameters added with form encoding. Throws
 * `url_invalid` when the result does not parse, its origin is not the template's, or the
 * query already holds an auth parameter.
 */
export function renderUrl(
  compiled: CompiledUrl,
  values: TemplateValues,
  authQuery: readonly (readonly [string, string])[] = [],
): URL {
  const site = { operation: compiled.operation, path: compiled.path };
  const text =
    renderPath(compiled, values) + renderText(compiled.restParts, values, encodeURIComponent);
  if (!URL.canParse(text)) {
    throw new HttpRuntimeError("url_invalid", "the rendered URL does not parse", site);
  }
  const url = new URL(text);
  if (url.origin !== compiled.origin) {
    throw new HttpRuntimeError(
      "url_invalid",
      `the rendered URL goes to ${url.origin}, not to ${compiled.origin} as written`,
      site,
    );
  }
  appendQuery(
    url,
    compiled.query.map(([name, template]) => [name, renderText(template, values)]),
  );
  for (const [name] of authQuery) {
    if (url.searchParams.has(name)) {
      throw new HttpRuntimeError(
        "url_invalid",
        `the rendered query already has the parameter "${name}" that the auth scheme sets`,
        site,
      );
    }
  }
  appendQuery(url, authQuery);
  return url;
}
