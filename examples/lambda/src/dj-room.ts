import { oncePerInstance } from "@portside/service-kit";
import { createDjRoomService, loadConfig } from "@portside-examples/services";
import { fetchHandlerToLambda } from "./lambda-adapter.js";

// Lambda buffers responses, so this function streams no SSE: browsers follow rooms through the
// API Gateway WebSocket API named by DJ_ROOM_WEBSOCKET_URL (routes: dj-room-websocket.ts), and
// dj-room-playback.ts advances playback on a schedule. DYNAMODB_TABLES_USERID (shared rooms) and
// DJ_ROOM_SESSION_SECRET (every function accepts every session) are required.
const service = oncePerInstance(() => createDjRoomService(loadConfig(), { streamEvents: false }));

/** The dj-room HTTP API (`/rooms`, `/dj`, `/spotify`) behind API Gateway or a function URL. */
export const handler = fetchHandlerToLambda(async (request) => (await service()).handler(request));
