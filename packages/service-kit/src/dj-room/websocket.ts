import {
  createWebSocketRoutes,
  type WebSocketRouteEvent,
  type WebSocketRouteResult,
} from "@portside/adapters-aws/dj-room";
import { InvalidConfigError } from "../errors.js";
import type { DjRoomConfig } from "./config.js";
import { createDjRoomCore } from "./core.js";

/**
 * The `$connect`/`$disconnect`/`$default` integration of the dj-room WebSocket API: one
 * function for all three routes (a Lambda, or any host API Gateway can invoke).
 */
export async function createDjRoomWebSocketHandler(
  config: DjRoomConfig,
): Promise<(event: WebSocketRouteEvent) => Promise<WebSocketRouteResult>> {
  const core = await createDjRoomCore(config);
  if (!core.connections || !core.webSocketClient) {
    throw new InvalidConfigError(
      (["DYNAMODB_TABLES_USERID", "DJ_ROOM_WEBSOCKET_URL"] as const)
        .filter((key) => !config[key])
        .map((key) => ({
          key,
          message: "The WebSocket routes need DYNAMODB_TABLES_USERID and DJ_ROOM_WEBSOCKET_URL",
        })),
    );
  }
  return createWebSocketRoutes({ dj: core.dj, connections: core.connections, client: core.webSocketClient });
}
