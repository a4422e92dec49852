import { domainRoutes } from "../manifest/domains.js";
import type { DomainModule } from "../runtime/domain-module.js";
import { composeDjRoom, type DjRoomComposeOptions } from "./compose.js";
import { djRoomConfigSchema } from "./config.js";
import { djRoomSecrets } from "./secrets.js";

export {
  composeDjRoom,
  createDjRoomPlaybackChecks,
  type DjRoomComposeOptions,
  type HostAuthenticator,
} from "./compose.js";
export { type DjRoomConfig, djRoomConfigSchema } from "./config.js";
export { djRoomPlaybackLambda, djRoomWebSocketLambda } from "./lambda.js";
export { djRoomSecrets } from "./secrets.js";
export { createDjRoomWebSocketHandler } from "./websocket.js";

/** dj-room as a domain of a service, with your host sign-in or the demo one (see `DjRoomComposeOptions`). */
export function createDjRoomDomain(
  options: DjRoomComposeOptions = {},
): DomainModule<typeof djRoomConfigSchema> {
  return {
    name: "dj-room",
    routes: domainRoutes["dj-room"],
    configSchema: djRoomConfigSchema,
    secrets: djRoomSecrets,
    compose: (config) => composeDjRoom(config, options),
  };
}

/** dj-room as a domain of a service, hosts signing in with the demo sign-in: `/rooms`, `/spotify`, `/dj`. */
export const djRoomDomain = createDjRoomDomain();
