import type { z } from "zod";
import { DEFAULT_BODY_LIMIT, readBytes, readText } from "./body-limit.js";
import { type CorsOptions, corsHeaders, preflightHeaders } from "./cors.js";
import { readCsv } from "./csv-body.js";
import { errorResponse } from "./error-envelope.js";
import { type ErrorMapper, type HttpProblem, httpErrorMapper } from "./error-mapper.js";
import { HttpError, HttpErrorCode } from "./errors.js";
import { readJson, readJsonWith } from "./json-body.js";
import { errorFields, type HttpLogger, silentHttpLogger } from "./logger.js";
import { type NdjsonRecord, readNdjson } from "./ndjson-body.js";
import { compilePath, decodePathSegments, matchPath } from "./path-pattern.js";
import { ifNoneMatchMatches, parseEntityTags } from "./preconditions.js";
import { requestIdOf } from "./request-id.js";

/** Who is calling. `roles` are what a route's `roles` are checked against. */
export interface Actor {
  id: string;
  roles?: readonly string[];
}

/** An HTTP method a route answers. */
export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route's handler gets: the request, its parameters and query, the actor and body readers. */
export interface RouteContext<A extends Actor = Actor> {
  request: Request;
  url: URL;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  actor: A;
  requestId: string;
  /** This route's largest body in bytes. */
  bodyLimit: number;
  /** The JSON body, parsed with the schema when one is given (400 with the issues otherwise). */
  json(): Promise<unknown>;
  /** The JSON body, parsed with the schema when one is given (400 with the issues otherwise). */
  json<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** A JSON body that may be empty (then `empty`). */
  optionalJson<S extends z.ZodType>(schema: S, empty: unknown): Promise<z.output<S>>;
  /** The body as text, within the route's limit. */
  text(): Promise<string>;
  /** The body's bytes, within the route's limit. */
  bytes(): Promise<Uint8Array>;
  /** The body's NDJSON records, one at a time as they stream in. */
  ndjson(): AsyncGenerator<NdjsonRecord>;
  /** The body's CSV rows, one at a time as they stream in. */
  csv(): AsyncGenerator<string[]>;
}

/** One route: its method, path pattern, body limit and handler. */
export interface Route<A extends Actor = Actor> {
  method: RouteMethod;
  /** `/profiles/:name`; segments starting with `:` are parameters. */
  path: string;
  /** Answers the request. */
  handle(context: RouteContext<A>): Promise<Response> | Response;
  /** Largest body this route reads (default: the handler's `bodyLimit`). */
  bodyLimit?: number;
  /** Served without calling `authenticate`. */
  public?: boolean;
  /** When `authenticate` is configured, the caller needs one of these roles (else 403). */
  roles?: readonly string[];
  /** A write to a versioned resource: under `requirePreconditions` it needs `If-Match` (else 428). */
  conditional?: boolean;
}

/** Options of `createHttpHandler`: routes, authentication, error mapping, logging and CORS. */
export interface HttpHandlerOptions<A extends Actor = Actor> {
  routes: readonly Route<A>[];
  /** Prefix every route lives under (default none). */
  basePath?: string;
  /** The caller, or `null` for 401. Without it every caller is `anonymous` and roles are not checked. */
  authenticate?: (request: Request) => A | null | Promise<A | null>;
  /** The actor used when there is no `authenticate` (default `{ id: "anonymous" }`). */
  anonymous?: A;
  /** The package's error mapper(s), from `createErrorMapper`. */
  errors?: readonly ErrorMapper[];
  logger?: HttpLogger;
  /** Default largest body for every route (default 1 MiB). */
  bodyLimit?: number;
  /** Writes to versioned resources must carry `If-Match` (428 otherwise). */
  requirePreconditions?: boolean;
  /** Off unless configured. */
  cors?: CorsOptions;
}

/** A Web-standard fetch handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

const SERVER_FAILURE_MESSAGE = "The service could not complete the request; retry later";

/** Sets headers on a response, copying it first when its headers are immutable. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const entries = Object.entries(headers);
  if (entries.length === 0) return response;
  try {
    for (const [name, value] of entries) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of entries) copy.headers.set(name, value);
    return copy;
  }
}

function withoutBody(response: Response, status = response.status): Response {
  response.body?.cancel().catch(() => {});
  return new Response(null, { status, statusText: response.statusText, headers: response.headers });
}

const queryOf = (url: URL) => {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return query;
};

/**
 * A Web-standard fetch handler over a route table: safe path decoding (400), 404, 405 with
 * `Allow`, `OPTIONS`, `HEAD`, authentication and roles, body limits enforced while streaming,
 * `If-None-Match` → 304 on any GET answered with an `ETag`, the error envelope, request ids,
 * one log line per request and one per unexpected error.
 */
export function createHttpHandler<A extends Actor = Actor>(options: HttpHandlerOptions<A>): FetchHandler {
  const base = (options.basePath ?? "").replace(/\/+$/, "");
  const logger = options.logger ?? silentHttpLogger;
  const mappers = [httpErrorMapper, ...(options.errors ?? [])];
  const anonymous = options.anonymous ?? ({ id: "anonymous" } as A);
  const defaultLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const routes = options.routes.map((route) => ({ route, pattern: compilePath(route.path) }));

  const problemOf = (error: unknown): HttpProblem | undefined => {
    for (const map of mappers) {
      const problem = map(error);
      if (problem) return problem;
    }
    return undefined;
  };

  const context = (
    request: Request,
    url: URL,
    params: Record<string, string>,
    route: Route<A>,
    actor: A,
    requestId: string,
  ): RouteContext<A> => {
    const limit = route.bodyLimit ?? defaultLimit;
    return {
      request,
      url,
      params,
      query: queryOf(url),
      actor,
      requestId,
      bodyLimit: limit,
      json: ((schema?: z.ZodType) =>
        schema
          ? readJsonWith(request, schema, { limit })
          : readJson(request, { limit })) as RouteContext<A>["json"],
      optionalJson: (schema, empty) => readJsonWith(request, schema, { limit, emptyAs: empty }),
      text: () => readText(request, limit),
      bytes: () => readBytes(request, limit),
      ndjson: () => readNdjson(request, limit),
      csv: () => readCsv(request, limit),
    };
  };

  const dispatch = async (
    request: Request,
    requestId: string,
    onActor: (actor: A) => void,
  ): Promise<Response> => {
    const url = new URL(request.url);
    if (base && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) {
      throw new HttpError(HttpErrorCode.notFound, `No route for ${url.pathname}`);
    }
    const segments = decodePathSegments(url.pathname.slice(base.length));
    const matching = routes
      .map(({ route, pattern }) => ({ route, params: matchPath(pattern, segments) }))
      .filter((m): m is { route: Route<A>; params: Record<string, string> } => m.params !== null);
    if (matching.length === 0) throw new HttpError(HttpErrorCode.notFound, `No route for ${url.pathname}`);
    const methods = new Set(matching.map((m) => m.route.method as string));
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    const allow = [...methods].join(", ");
    const method = request.method.toUpperCase();
    if (method === "OPTIONS") {
      const preflight =
        options.cors && request.headers.has("access-control-request-method")
          ? preflightHeaders(options.cors, request, allow)
          : {};
      return new Response(null, { status: 204, headers: { allow, ...preflight } });
    }
    const match = matching.find((m) => m.route.method === (method === "HEAD" ? "GET" : method));
    if (!match) {
      throw new HttpError(HttpErrorCode.methodNotAllowed, `${method} is not allowed on ${url.pathname}`, {
        details: { allow: [...methods] },
        headers: { allow },
      });
    }
    const { route, params } = match;
    let actor = anonymous;
    if (options.authenticate && !route.public) {
      const found = await options.authenticate(request);
      if (!found) {
        throw new HttpError(HttpErrorCode.unauthenticated, "Authentication required", {
          headers: { "www-authenticate": "Bearer" },
        });
      }
      actor = found;
      if (route.roles && !route.roles.some((role) => found.roles?.includes(role))) {
        throw new HttpError(HttpErrorCode.forbidden, `This needs the role ${route.roles.join(" or ")}`, {
          details: { roles: [...route.roles] },
        });
      }
    }
    onActor(actor);
    if (options.requirePreconditions && route.conditional && !request.headers.has("if-match")) {
      throw new HttpError(
        HttpErrorCode.preconditionRequired,
        "This write needs an If-Match header naming the version it changes",
      );
    }
    const response = await route.handle(context(request, url, params, route, actor, requestId));
    if (route.method === "GET" && response.status === 200) {
      const condition = parseEntityTags(request.headers.get("if-none-match"));
      const etag = response.headers.get("etag") ?? undefined;
      if (condition && ifNoneMatchMatches(condition, etag)) return withoutBody(response, 304);
    }
    return response;
  };

  return async (request) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    const method = request.method.toUpperCase();
    let path = "";
    try {
      path = new URL(request.url).pathname;
    } catch {}
    let actorId: string | undefined;
    let response: Response;
    try {
      response = await dispatch(request, requestId, (actor) => {
        actorId = actor.id;
      });
    } catch (error) {
      const problem = problemOf(error);
      if (!problem || problem.status >= 500) {
        logger.error(problem ? "request failed" : "unexpected error", {
          requestId,
          method,
          path,
          ...(problem ? { code: problem.code } : {}),
          error: errorFields(error),
        });
      }
      response = !problem
        ? errorResponse(500, HttpErrorCode.internal, "Internal error")
        : problem.status >= 500
          ? // A failure on our side: the code says which, the log says why; the caller learns no internals.
            errorResponse(problem.status, problem.code, SERVER_FAILURE_MESSAGE, {}, problem.headers)
          : errorResponse(problem.status, problem.code, problem.message, problem.details, problem.headers);
    }
    response = withHeaders(response, {
      "x-request-id": requestId,
      ...(options.cors ? corsHeaders(options.cors, request) : {}),
    });
    if (method === "HEAD") response = withoutBody(response);
    logger.info("request", {
      requestId,
      method,
      path,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
      ...(actorId ? { actor: actorId } : {}),
    });
    return response;
  };
}
