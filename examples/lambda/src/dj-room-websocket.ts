import { createDjRoomWebSocketHandler, loadConfig } from "@portside-examples/services";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

let routes: ReturnType<typeof createDjRoomWebSocketHandler> | undefined;

/**
 * The dj-room WebSocket API's `$connect`, `$disconnect` and `$default` routes (one function,
 * Lambda proxy integration). Needs DYNAMODB_TABLES_USERID, DJ_ROOM_SESSION_SECRET and
 * DJ_ROOM_WEBSOCKET_URL (its management endpoint is derived from it, or DJ_ROOM_WEBSOCKET_ENDPOINT).
 */
export async function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  routes ??= createDjRoomWebSocketHandler(loadConfig());
  const query = (event as { queryStringParameters?: Record<string, string | undefined> })
    .queryStringParameters;
  return (await routes)({ ...event, queryStringParameters: query ?? null });
}
