import { errorFields, errorResponse, type FetchHandler, HttpErrorCode, requestIdOf } from "@portside/http";

/** One domain mounted in a composed service: the path prefixes its handler answers. */
export interface MountedDomain {
  readonly name: string;
  /** Path prefixes (`/profiles`): a request goes to the first domain one of whose prefixes matches. */
  readonly routes: readonly string[];
  readonly handler: FetchHandler;
  /** Which adapter serves each port, as `/healthz` reports it (`{ store: "memory" }`). */
  readonly adapters?: Readonly<Record<string, string>>;
}

function matches(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * One fetch handler for the domains of a service: `GET /healthz` reports each of them, every
 * other request goes to the domain whose route prefix matches its path (404 when none does). An
 * error a domain lets escape is logged once and answered 500 without internals.
 */
export function createServiceRouter(service: string, mounted: readonly MountedDomain[]): FetchHandler {
  const routes = mounted.flatMap((domain) => domain.routes.map((prefix) => ({ prefix, domain })));
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") {
      return Response.json({
        status: "ok",
        service,
        domains: mounted.map((d) => ({ name: d.name, adapters: d.adapters ?? {} })),
      });
    }
    const route = routes.find((r) => matches(pathname, r.prefix));
    if (!route) return errorResponse(404, HttpErrorCode.notFound, `Nothing in ${service} serves ${pathname}`);
    try {
      return await route.domain.handler(request);
    } catch (error) {
      const requestId = requestIdOf(request);
      console.error(
        JSON.stringify({
          level: "error",
          msg: "unhandled error",
          service,
          domain: route.domain.name,
          requestId,
          error: errorFields(error),
        }),
      );
      return errorResponse(500, HttpErrorCode.internal, "Internal error", {}, { "x-request-id": requestId });
    }
  };
}
