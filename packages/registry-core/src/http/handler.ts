import { type CorsOptions, createHttpHandler, type FetchHandler, type HttpLogger } from "@portside/http";
import { type Actor, type AnonymousPolicy, anonymousActor } from "../model/actor.js";
import type { RegistryService } from "../service/registry-service.js";
import { registryErrors } from "./error-statuses.js";
import { type HttpActor, registryRoutes } from "./routes.js";

/** Options of `createRegistryHttpHandler`: the service, authentication, the anonymous policy and body limits. */
export interface RegistryHandlerOptions {
  service: RegistryService;
  /** The host's authentication: an actor, or null for an anonymous request. May throw `UnauthenticatedError`. */
  authenticate(request: Request): Promise<Actor | null> | Actor | null;
  /** Anonymous requests get this organisation (read-only unless `canWrite`); without it they get 401. */
  anonymous?: AnonymousPolicy;
  /** Largest JSON body accepted, in bytes (default 1 MiB). */
  maxJsonBytes?: number;
  /** Largest upload accepted, in bytes (default 512 MiB); refused by `Content-Length` and while streaming. */
  maxUploadBytes?: number;
  /** Dry-run uploads up to this size answer with their report at once; larger ones are jobs (default 1 MiB). */
  maxSyncDryRunBytes?: number;
  /** A path prefix the host mounts the API under, e.g. `/registry`. */
  basePath?: string;
  /** Writes to versioned resources (entities, types) must carry `If-Match` (428 otherwise). */
  requirePreconditions?: boolean;
  logger?: HttpLogger;
  cors?: CorsOptions;
}

/** @deprecated Renamed `RegistryHandlerOptions`. */
export type RegistryHttpOptions = RegistryHandlerOptions;

/**
 * The registry's HTTP API as a Web-standard fetch handler on the shared Portside HTTP layer:
 * `/entityType/`, `/entity/<type>/`, `/entity/<type>/<id>/`, `/entity/<type>/search/`,
 * `/entity/<type>/upload`, `/entity/<type>/imports/<id>`, `/entity/<type>/download`, type migrations.
 */
export function createRegistryHandler(options: RegistryHandlerOptions): FetchHandler {
  const authenticate = async (request: Request): Promise<HttpActor | null> => {
    const actor =
      (await options.authenticate(request)) ?? (options.anonymous ? anonymousActor(options.anonymous) : null);
    return actor ? { id: actor.id ?? "anonymous", roles: actor.roles, registry: actor } : null;
  };
  return createHttpHandler<HttpActor>({
    routes: registryRoutes({
      service: options.service,
      maxUploadBytes: options.maxUploadBytes ?? 512 * 1024 * 1024,
      maxSyncDryRunBytes: options.maxSyncDryRunBytes ?? 1024 * 1024,
      basePath: (options.basePath ?? "").replace(/\/+$/, ""),
    }),
    authenticate,
    errors: [registryErrors],
    bodyLimit: options.maxJsonBytes ?? 1024 * 1024,
    ...(options.basePath && { basePath: options.basePath }),
    ...(options.logger && { logger: options.logger }),
    ...(options.requirePreconditions && { requirePreconditions: true }),
    ...(options.cors && { cors: options.cors }),
  });
}

/** @deprecated Renamed `createRegistryHandler`. */
export const createRegistryHttpHandler = createRegistryHandler;
