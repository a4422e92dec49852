export { composeServices } from "./compose.js";
export { type Config, ConfigError, configSchema, loadConfig } from "./config.js";
export {
  isServiceName,
  type ServiceDefinition,
  type ServiceName,
  serviceDefinition,
  serviceManifest,
  serviceNames,
} from "./manifest.js";
export { createRouter } from "./router.js";
export type { ComposedService, FetchHandler } from "./service.js";
export {
  createDjRoomPlaybackChecks,
  createDjRoomService,
  createDjRoomWebSocketHandler,
  type DjRoomServiceOptions,
} from "./services/dj-room.js";
export { createEventRecorderService } from "./services/event-recorder.js";
export { createProfileDepsService } from "./services/profile-deps.js";
export { createRegistryService } from "./services/registry.js";
