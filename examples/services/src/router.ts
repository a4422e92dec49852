import { createServiceRouter } from "@portside/service-kit";
import type { ComposedService, FetchHandler } from "./service.js";

/**
 * One fetch handler for the example's services, through the service kit's router: `/healthz`
 * reports each of them, and every other request goes to the service whose route prefix matches.
 */
export function createRouter(services: readonly ComposedService[]): FetchHandler {
  return createServiceRouter("portside-examples", services);
}
