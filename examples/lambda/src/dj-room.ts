import { type ComposedService, createDjRoomService, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

let composed: Promise<ComposedService> | undefined;

function service(): Promise<ComposedService> {
  // Lambda buffers responses, so this function streams no SSE: browsers follow rooms through the
  // API Gateway WebSocket API named by DJ_ROOM_WEBSOCKET_URL (routes: dj-room-websocket.ts), and
  // dj-room-playback.ts advances playback on a schedule. Set DJ_ROOM_SESSION_SECRET so every
  // instance accepts every session, and DYNAMODB_TABLES_USERID so they share rooms.
  composed ??= createDjRoomService(loadConfig(), { streamEvents: false });
  return composed;
}

/** The dj-room HTTP API (`/rooms`, `/dj`, `/spotify`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
