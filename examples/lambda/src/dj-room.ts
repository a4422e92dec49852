import { type ComposedService, createDjRoomService, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

let composed: Promise<ComposedService> | undefined;

function service(): Promise<ComposedService> {
  // Lambda buffers responses here, so `GET /rooms/:code/events` answers 501 instead of streaming
  // and the web page refetches the room every few seconds instead (live updates need the Express
  // host). Set
  // DJ_ROOM_SESSION_SECRET so every instance accepts every session, and DYNAMODB_TABLES_USERID
  // so they share rooms.
  composed ??= createDjRoomService(loadConfig(), { streamEvents: false });
  return composed;
}

/** The dj-room HTTP API (`/rooms`, `/dj`, `/spotify`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
