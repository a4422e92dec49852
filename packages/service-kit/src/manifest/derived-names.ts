import type { Manifest, ServiceEntry } from "./schema.js";

/**
 * Everything named after a service, derived by one rule from its manifest name: `/` becomes
 * `-` for the id, and the stage-prefixed id names its functions and stack.
 *
 * | name        | id          | package               | functions (stage dev)     | stack           |
 * | ----------- | ----------- | --------------------- | ------------------------- | --------------- |
 * | `rooms/api` | `rooms-api` | `@services/rooms-api` | `dev-rooms-api-<handler>` | `dev-rooms-api` |
 *
 * Tables, queues and rules are not the service's: they are `<stage>-<table>`, shared by every
 * service composing the domain (see `portside setup`).
 */
export interface DerivedNames {
  readonly id: string;
  readonly packageName: string;
  /** The workspace folder of a generated service, relative to the manifest. */
  readonly directory: string;
  readonly stackName: string;
  /** The deployed name of one of the service's functions. */
  functionName(handler: string): string;
}

/** The handler name of a dj-room WebSocket function: `<stage>-<service id>-dj-room-websocket`. */
export const DJ_ROOM_WEBSOCKET_HANDLER = "dj-room-websocket";

/** A service name as an identifier (`/` becomes `-`). */
export function serviceId(name: string): string {
  return name.replaceAll("/", "-");
}

/** The names a service gets in a stage (package, folder, stack, functions), derived from the manifest's scope. */
export function deriveNames(
  manifest: Pick<Manifest, "scope">,
  service: Pick<ServiceEntry, "name">,
  stage: string,
): DerivedNames {
  const id = serviceId(service.name);
  const prefix = `${stage}-${id}`;
  return {
    id,
    packageName: `@${manifest.scope}/${id}`,
    directory: `services/${service.name}`,
    stackName: prefix,
    functionName: (handler) => `${prefix}-${handler}`,
  };
}
