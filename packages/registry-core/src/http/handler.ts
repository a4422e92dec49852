import { RegistryError, RegistryErrorCode, UnauthenticatedError, ValidationError } from "../errors.js";
import { type Actor, type AnonymousPolicy, anonymousActor } from "../model/actor.js";
import { parseSearchParams } from "../search/query-string.js";
import type { RegistryService } from "../service/registry-service.js";
import { errorResponse } from "./error-response.js";
import { type RouteContext, registryRoutes } from "./routes.js";

export interface RegistryHttpOptions {
  service: RegistryService;
  /** The host's authentication: an actor, or null for an anonymous request. May throw `UnauthenticatedError`. */
  authenticate(request: Request): Promise<Actor | null> | Actor | null;
  /** Anonymous requests get this organisation (read-only unless `canWrite`); without it they get 401. */
  anonymous?: AnonymousPolicy;
  /** Largest JSON body accepted, in bytes. */
  maxJsonBytes?: number;
  /** Largest upload accepted, in bytes (default 512 MiB). */
  maxUploadBytes?: number;
  /** Dry-run uploads up to this size answer with their report at once; larger ones are jobs (default 1 MiB). */
  maxSyncDryRunBytes?: number;
  /** A path prefix the host mounts the API under, e.g. `/registry`. */
  basePath?: string;
}

/** Reads a JSON body within a size limit; a malformed body is a 400 naming the problem. */
export async function readJson<T = unknown>(request: Request, maxBytes: number): Promise<T> {
  const text = await readText(request, maxBytes);
  if (text.trim() === "") return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ValidationError("The body is not valid JSON", [
      { path: ["body"], message: (error as Error).message },
    ]);
  }
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number) {
  return new RegistryError(RegistryErrorCode.payloadTooLarge, `The body is larger than ${maxBytes} bytes`);
}

/** `If-Match: "3"` (or `W/"3"`, or `3`) as a version; absent gives undefined. */
export function ifMatch(request: Request): number | undefined {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new ValidationError("If-Match must be a version ETag", [
      { path: ["headers", "if-match"], message: header },
    ]);
  }
  return Number(match[1]);
}

/**
 * The registry's HTTP API as a Web-standard fetch handler:
 * `/entityType/`, `/entity/<type>/`, `/entity/<type>/<id>/`, `/entity/<type>/search/`,
 * `/entity/<type>/upload`, `/entity/<type>/download`, type migrations.
 */
export function createRegistryHttpHandler(
  options: RegistryHttpOptions,
): (request: Request) => Promise<Response> {
  const routes = registryRoutes();
  const base = (options.basePath ?? "").replace(/\/$/, "");
  return async (request) => {
    try {
      const url = new URL(request.url);
      if (!url.pathname.startsWith(base)) return notFound(url.pathname);
      const path = url.pathname.slice(base.length);
      const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
      const match = routes.match(request.method, segments);
      if (!match) return notFound(url.pathname);
      if (match === "method-not-allowed") {
        return Response.json(
          {
            error: {
              code: "METHOD_NOT_ALLOWED",
              message: `${request.method} is not allowed on ${url.pathname}`,
              details: {},
            },
          },
          { status: 405 },
        );
      }
      let actor = await options.authenticate(request);
      if (!actor) {
        if (!options.anonymous) throw new UnauthenticatedError("Authentication required");
        actor = anonymousActor(options.anonymous);
      }
      const context: RouteContext = {
        request,
        url,
        actor,
        params: match.params,
        service: options.service,
        json: <T>() => readJson<T>(request, options.maxJsonBytes ?? 1024 * 1024),
        search: () => parseSearchParams(url.searchParams),
        ifMatch: () => ifMatch(request),
        maxUploadBytes: options.maxUploadBytes ?? 512 * 1024 * 1024,
        maxSyncDryRunBytes: options.maxSyncDryRunBytes ?? 1024 * 1024,
        basePath: base,
      };
      return await match.handle(context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function notFound(path: string): Response {
  return Response.json(
    { error: { code: "NOT_FOUND", message: `No route for ${path}`, details: {} } },
    { status: 404 },
  );
}
