export { djRoomErrorResponse } from "./errors.js";
export { createDjRoomHandler, type DjRoomHandlerOptions, type HostIdentity } from "./handler.js";
export { roomEventStream } from "./sse.js";
