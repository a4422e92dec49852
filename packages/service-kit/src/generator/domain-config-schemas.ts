import { djRoomConfigSchema } from "../dj-room/config.js";
import { eventRecorderConfigSchema } from "../event-recorder/config.js";
import type { Domain } from "../manifest/domains.js";
import { profileDepsConfigSchema } from "../profile-deps/config.js";
import { registryConfigSchema } from "../registry/config.js";

/** Each domain's own config keys (zod only: no domain package is loaded to list them). */
export const domainConfigSchemas = {
  registry: registryConfigSchema,
  "event-recorder": eventRecorderConfigSchema,
  "profile-deps": profileDepsConfigSchema,
  "dj-room": djRoomConfigSchema,
} satisfies Record<Domain, unknown>;
