import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Domain, parseManifest, type ServiceEntry } from "@portside/service-kit";

const MANIFEST = fileURLToPath(new URL("../portside.services.json", import.meta.url));

/** The examples' services manifest (`examples/services/portside.services.json`): one service per domain. */
export const serviceManifest: readonly ServiceEntry[] = parseManifest(
  JSON.parse(readFileSync(MANIFEST, "utf8")),
  MANIFEST,
).services;

/** An example service is named after the one domain it serves. */
export type ServiceName = Domain;

export const serviceNames = serviceManifest.map((s) => s.name) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return (serviceNames as readonly string[]).includes(name);
}

export function serviceDefinition(name: ServiceName): ServiceEntry {
  return serviceManifest.find((s) => s.name === name)!;
}
