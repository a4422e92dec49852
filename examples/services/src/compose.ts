import { type AnyDomainModule, composeDomains } from "@portside/service-kit";
import { eventRecorderDomain } from "@portside/service-kit/event-recorder";
import { profileDepsDomain } from "@portside/service-kit/profile-deps";
import { registryDomain } from "@portside/service-kit/registry";
import type { Config } from "./config.js";
import { exampleDjRoomDomain } from "./dj-room.js";
import type { ServiceName } from "./manifest.js";
import type { ComposedService } from "./service.js";

/** The domains the examples serve, as the service kit composes them (dj-room with the party page). */
export const domainModules: Record<ServiceName, AnyDomainModule> = {
  registry: registryDomain,
  "event-recorder": eventRecorderDomain,
  "profile-deps": profileDepsDomain,
  "dj-room": exampleDjRoomDomain,
};

/** Builds the named services from one parsed config. */
export function composeServices(config: Config, names: readonly ServiceName[]): Promise<ComposedService[]> {
  return composeDomains(
    config,
    names.map((name) => domainModules[name]),
  );
}
