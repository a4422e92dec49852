import { errorFields, errorResponse, HttpErrorCode, requestIdOf } from "@portside/http";
import { serviceDefinition } from "./manifest.js";
import type { ComposedService, FetchHandler } from "./service.js";

function matches(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * One fetch handler for several services: `/healthz` reports each of them, and every other
 * request goes to the service whose route prefix matches its path. Errors use the services'
 * envelope; an error a service let escape is logged once and answered 500 without internals.
 */
export function createRouter(services: readonly ComposedService[]): FetchHandler {
  const routes = services.flatMap((service) =>
    serviceDefinition(service.name).routes.map((prefix) => ({ prefix, service })),
  );
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") {
      return Response.json({
        status: "ok",
        services: services.map((s) => ({ name: s.name, adapters: s.adapters })),
      });
    }
    const route = routes.find((r) => matches(pathname, r.prefix));
    if (!route) return errorResponse(404, HttpErrorCode.notFound, `No service serves ${pathname}`);
    try {
      return await route.service.handler(request);
    } catch (error) {
      const requestId = requestIdOf(request);
      console.error(
        JSON.stringify({
          level: "error",
          msg: "unhandled error",
          service: route.service.name,
          requestId,
          error: errorFields(error),
        }),
      );
      return errorResponse(500, HttpErrorCode.internal, "Internal error", {}, { "x-request-id": requestId });
    }
  };
}
