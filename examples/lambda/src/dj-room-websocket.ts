import { djRoomWebSocketLambda } from "@portside/service-kit/dj-room";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

const routes = djRoomWebSocketLambda();

/**
 * The dj-room WebSocket API's `$connect`, `$disconnect` and `$default` routes (one function,
 * Lambda proxy integration). Needs DYNAMODB_TABLES_USERID, DJ_ROOM_SESSION_SECRET and
 * DJ_ROOM_WEBSOCKET_URL (its management endpoint is derived from it, or DJ_ROOM_WEBSOCKET_ENDPOINT).
 */
export function handler(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  return routes(event);
}
