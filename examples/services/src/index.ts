export { InvalidConfigError } from "@portside/service-kit";
export { createDjRoomPlaybackChecks, createDjRoomWebSocketHandler } from "@portside/service-kit/dj-room";
export { composeEventRecorder, type EventRecorderService } from "@portside/service-kit/event-recorder";
export { composeProfileDeps } from "@portside/service-kit/profile-deps";
export { composeRegistry } from "@portside/service-kit/registry";
export { composeServices, domainModules } from "./compose.js";
export { type Config, configSchema, loadConfig } from "./config.js";
export { createDjRoomService, type DjRoomServiceOptions } from "./dj-room.js";
export {
  isServiceName,
  type ServiceName,
  serviceDefinition,
  serviceManifest,
  serviceNames,
} from "./manifest.js";
export { createRouter } from "./router.js";
export type { ComposedService, FetchHandler } from "./service.js";
