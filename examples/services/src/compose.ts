import type { Config } from "./config.js";
import type { ServiceName } from "./manifest.js";
import type { ComposedService } from "./service.js";
import { createDjRoomService } from "./services/dj-room.js";
import { createEventRecorderService } from "./services/event-recorder.js";
import { createProfileDepsService } from "./services/profile-deps.js";
import { createRegistryService } from "./services/registry.js";

const factories: Record<ServiceName, (config: Config) => Promise<ComposedService>> = {
  registry: createRegistryService,
  "event-recorder": createEventRecorderService,
  "profile-deps": createProfileDepsService,
  "dj-room": createDjRoomService,
};

/** Builds the named services (all by default) from one parsed config. */
export async function composeServices(
  config: Config,
  names: readonly ServiceName[],
): Promise<ComposedService[]> {
  const composed: ComposedService[] = [];
  try {
    for (const name of names) composed.push(await factories[name](config));
  } catch (error) {
    await Promise.allSettled(composed.map((s) => s.close?.()));
    throw error;
  }
  return composed;
}
