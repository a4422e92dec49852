import { djRoomSecrets } from "../dj-room/secrets.js";
import { eventRecorderSecrets } from "../event-recorder/secrets.js";
import type { Domain } from "../manifest/domains.js";
import { profileDepsSecrets } from "../profile-deps/secrets.js";
import { registrySecrets } from "../registry/secrets.js";
import type { SecretSpec } from "./secret-spec.js";

/** The secrets each domain declares (beside its config schema, in the domain's folder). */
export const domainSecrets: Record<Domain, readonly SecretSpec[]> = {
  registry: registrySecrets,
  "event-recorder": eventRecorderSecrets,
  "profile-deps": profileDepsSecrets,
  "dj-room": djRoomSecrets,
};

/** The secrets of a set of domains, each once. */
export function secretsFor(domains: Iterable<Domain>): SecretSpec[] {
  const byName = new Map<string, SecretSpec>();
  for (const domain of domains) for (const spec of domainSecrets[domain]) byName.set(spec.name, spec);
  return [...byName.values()];
}
