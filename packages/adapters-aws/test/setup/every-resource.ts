import { domainResources, type SetupResource } from "../../src/setup/index.js";

/** Every domain's resources plus a generated and a third-party secret, named from `prefix`. */
export function everyResource(prefix: string): SetupResource[] {
  return [
    ...(["registry", "event-recorder", "profile-deps", "dj-room"] as const).flatMap((d) =>
      domainResources(d, { prefix }),
    ),
    {
      kind: "secret",
      name: `${prefix}/dj-room-session-secret`,
      description: "signs sessions",
      generated: true,
    },
    {
      kind: "secret",
      name: `${prefix}/spotify-client-secret`,
      description: "Spotify app secret",
      generated: false,
    },
  ];
}
