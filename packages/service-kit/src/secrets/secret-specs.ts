import { randomBytes } from "node:crypto";
import type { Domain } from "../manifest/domains.js";

/**
 * A secret a domain needs. `generated` secrets are made locally by `portside secrets ensure`;
 * `third-party` ones (credentials someone else issues) are copied from AWS Secrets Manager.
 */
export interface SecretSpec {
  readonly name: string;
  /** The config key the host reads it from. */
  readonly envName: string;
  readonly kind: "generated" | "third-party";
  readonly description: string;
  /** Makes a new value of a generated secret. */
  readonly generate?: () => string;
}

const random = (bytes: number) => () => randomBytes(bytes).toString("base64url");

/** The secrets each domain's example host reads. */
export const domainSecrets: Record<Domain, readonly SecretSpec[]> = {
  registry: [
    {
      name: "registry-jwt-secret",
      envName: "REGISTRY_JWT_SECRET",
      kind: "generated",
      description: "HS256 secret the registry verifies tokens with (when no JWKS is configured)",
      generate: random(48),
    },
  ],
  "event-recorder": [
    {
      name: "event-recorder-database-url",
      envName: "DB_CONNECTION_STRING",
      kind: "third-party",
      description: "PostgreSQL connection string of the audit database",
    },
  ],
  "profile-deps": [],
  "dj-room": [
    {
      name: "dj-room-session-secret",
      envName: "DJ_ROOM_SESSION_SECRET",
      kind: "generated",
      description: "signs guest and host session tokens",
      generate: random(48),
    },
    {
      name: "spotify-token-key",
      envName: "SPOTIFY_TOKEN_KEY",
      kind: "generated",
      description: "encrypts hosts' Spotify tokens at rest (32 bytes, base64)",
      generate: () => randomBytes(32).toString("base64"),
    },
    {
      name: "spotify-client-id",
      envName: "SPOTIFY_CLIENT_ID",
      kind: "third-party",
      description: "the Spotify app's client id",
    },
    {
      name: "spotify-client-secret",
      envName: "SPOTIFY_CLIENT_SECRET",
      kind: "third-party",
      description: "the Spotify app's client secret",
    },
  ],
};

/** The secrets of a set of domains, each once. */
export function secretsFor(domains: Iterable<Domain>): SecretSpec[] {
  const byName = new Map<string, SecretSpec>();
  for (const domain of domains) for (const spec of domainSecrets[domain]) byName.set(spec.name, spec);
  return [...byName.values()];
}
