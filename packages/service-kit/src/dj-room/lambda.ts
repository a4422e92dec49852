import type { WebSocketRouteEvent, WebSocketRouteResult } from "@portside/adapters-aws/dj-room";
import { InvalidConfigError } from "../errors.js";
import { oncePerInstance } from "../runtime/once-per-instance.js";
import { parseDomainConfig } from "../runtime/service-config.js";
import { createDjRoomPlaybackChecks } from "./compose.js";
import { djRoomConfigSchema } from "./config.js";
import { createDjRoomWebSocketHandler } from "./websocket.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The handler of the dj-room WebSocket API's function (`$connect`, `$disconnect`, `$default`),
 * composed from the environment on its first event; needs `DYNAMODB_TABLES_USERID`,
 * `DJ_ROOM_SESSION_SECRET` and `DJ_ROOM_WEBSOCKET_URL`, as `portside setup` prints them.
 */
export function djRoomWebSocketLambda(
  env: Env = process.env,
): (event: WebSocketRouteEvent) => Promise<WebSocketRouteResult> {
  const routes = oncePerInstance(() =>
    createDjRoomWebSocketHandler(parseDomainConfig({ configSchema: djRoomConfigSchema }, env)),
  );
  return async (event) => (await routes())(event);
}

/**
 * The handler of a scheduled function (an EventBridge schedule, every minute) that advances every
 * room whose song has ended; needs `DYNAMODB_TABLES_USERID` (a memory store would hold no rooms)
 * and `DJ_ROOM_SESSION_SECRET`.
 */
export function djRoomPlaybackLambda(env: Env = process.env): () => Promise<{ checked: number }> {
  const check = oncePerInstance(async () => {
    const config = parseDomainConfig({ configSchema: djRoomConfigSchema }, env);
    if (config.DYNAMODB_TABLES_USERID === undefined) {
      throw new InvalidConfigError([
        {
          key: "DYNAMODB_TABLES_USERID",
          message: "the playback checks read the rooms' table: set its prefix",
        },
      ]);
    }
    return createDjRoomPlaybackChecks(config);
  });
  return async () => ({ checked: await (await check())() });
}
