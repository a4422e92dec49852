import { serviceDefinition } from "./manifest.js";
import type { ComposedService, FetchHandler } from "./service.js";

function matches(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * One fetch handler for several services: `/healthz` reports each of them, and every other
 * request goes to the service whose route prefix matches its path.
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
    if (!route) return jsonError(404, "not_found", `No service serves ${pathname}`);
    try {
      return await route.service.handler(request);
    } catch (error) {
      console.error(`[${route.service.name}] unhandled error`, error);
      return jsonError(500, "internal", "Internal error");
    }
  };
}
