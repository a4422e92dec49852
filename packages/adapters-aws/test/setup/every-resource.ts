import { domainResources, type SetupResource } from "../../src/setup/index.js";

/** The function behind the dj-room WebSocket API of `everyResource(prefix)`. */
export const webSocketFunctionName = (prefix: string) => `${prefix}-rooms-dj-room-websocket`;

/**
 * Every domain's resources (with the dj-room WebSocket API) plus a generated and a third-party
 * secret, named from `prefix`.
 */
export function everyResource(prefix: string): SetupResource[] {
  return [
    ...(["registry", "event-recorder", "profile-deps", "dj-room"] as const).flatMap((d) =>
      domainResources(d, { prefix, webSocketFunctionName: webSocketFunctionName(prefix) }),
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
