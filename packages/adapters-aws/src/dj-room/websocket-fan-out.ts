import {
  type ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import type { EventPublisher, RoomEvent } from "@portside/dj-room";
import type { RoomConnectionStore } from "./dynamo-connection-store.js";

/** Options of `createWebSocketRoomEvents`: where connections are stored and how messages reach them. */
export interface WebSocketRoomEventsOptions {
  connections: RoomConnectionStore;
  /** Points at the WebSocket API's management endpoint: `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`. */
  client: ApiGatewayManagementApiClient;
  /** Called when a post fails for another reason than a gone connection. */
  onError?: (error: unknown, connectionId: string) => void;
}

const encoder = new TextEncoder();

/**
 * Room events to every browser connected to the room through an API Gateway WebSocket API,
 * from whichever Lambda or instance made the change. A connection API Gateway reports gone
 * (410) is forgotten. A closed room, or a banned guest, is disconnected after its last event.
 */
export function createWebSocketRoomEvents(options: WebSocketRoomEventsOptions): EventPublisher {
  const { connections, client } = options;
  return {
    async publish(event: RoomEvent) {
      const listeners = await connections.listByRoom(event.roomId);
      const Data = encoder.encode(JSON.stringify(event));
      await Promise.all(
        listeners.map(async ({ connectionId, guestId }) => {
          try {
            await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data }));
            if (ends(event, guestId)) {
              await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
              await connections.remove(connectionId);
            }
          } catch (error) {
            if (error instanceof GoneException) await connections.remove(connectionId);
            else options.onError?.(error, connectionId);
          }
        }),
      );
    },
  };
}

/** The last event a listener gets: its room closed, or it was banned. */
const ends = (event: RoomEvent, guestId: string) =>
  event.type === "room.closed" || (event.data.banned === true && event.data.guestId === guestId);
