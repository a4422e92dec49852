import {
  type ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { type DjRoom, isDjRoomError } from "@portside/dj-room";
import type { RoomConnectionStore } from "./dynamo-connection-store.js";

/** The part of API Gateway's WebSocket route event (Lambda proxy integration) the routes read. */
export interface WebSocketRouteEvent {
  requestContext: { routeKey: string; connectionId: string; connectedAt?: number };
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** What a WebSocket route answers API Gateway with. */
export interface WebSocketRouteResult {
  statusCode: number;
  body?: string;
}

/** Options of `createWebSocketRoutes`: the room service, the connection store and the management API client. */
export interface WebSocketRoutesOptions {
  dj: Pick<DjRoom, "authenticate" | "roomVersion">;
  connections: RoomConnectionStore;
  client: ApiGatewayManagementApiClient;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
}

const encoder = new TextEncoder();
const reply = (statusCode: number, body?: string): WebSocketRouteResult =>
  body === undefined ? { statusCode } : { statusCode, body };

/**
 * `$connect`, `$disconnect` and `$default` of the dj-room WebSocket API. The browser connects
 * with `?token=<session token>` (a browser WebSocket cannot send headers); a refused token
 * refuses the connection. Messages: `{"action":"hello"}` answers `ready` with the room's
 * change version, `{"action":"ping"}` answers `pong`.
 */
export function createWebSocketRoutes(options: WebSocketRoutesOptions) {
  const { dj, connections, client } = options;
  const now = options.now ?? Date.now;
  const send = (connectionId: string, message: unknown) =>
    client.send(
      new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: encoder.encode(JSON.stringify(message)),
      }),
    );

  const connect = async (event: WebSocketRouteEvent) => {
    const token = event.queryStringParameters?.token;
    if (!token) return reply(401, "A session token is required");
    try {
      const session = await dj.authenticate(token);
      await connections.add({
        connectionId: event.requestContext.connectionId,
        roomId: session.roomId,
        guestId: session.guestId,
        connectedAt: event.requestContext.connectedAt ?? now(),
      });
      return reply(200);
    } catch (error) {
      if (isDjRoomError(error, "UNAUTHORIZED")) return reply(401, error.message);
      if (isDjRoomError(error, "GUEST_BANNED")) return reply(403, error.message);
      throw error;
    }
  };

  const message = async (event: WebSocketRouteEvent) => {
    const { connectionId } = event.requestContext;
    const text = event.isBase64Encoded
      ? Buffer.from(event.body ?? "", "base64").toString()
      : (event.body ?? "");
    let action: unknown;
    try {
      action = (JSON.parse(text) as { action?: unknown })?.action;
    } catch {
      action = undefined;
    }
    try {
      if (action === "ping") {
        await send(connectionId, { type: "pong" });
      } else if (action === "hello") {
        const connection = await connections.get(connectionId);
        if (!connection) return reply(410, "Unknown connection");
        const version = await dj.roomVersion(connection.roomId);
        await send(connectionId, { type: "ready", roomId: connection.roomId, version });
      } else {
        await send(connectionId, {
          type: "error",
          code: "UNKNOWN_ACTION",
          message: 'Send {"action":"hello"} or {"action":"ping"}',
        });
      }
    } catch (error) {
      if (!(error instanceof GoneException)) throw error;
      await connections.remove(connectionId);
    }
    return reply(200);
  };

  return async (event: WebSocketRouteEvent): Promise<WebSocketRouteResult> => {
    switch (event.requestContext.routeKey) {
      case "$connect":
        return connect(event);
      case "$disconnect":
        await connections.remove(event.requestContext.connectionId);
        return reply(200);
      default:
        return message(event);
    }
  };
}
