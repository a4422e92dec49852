export { djRoomErrorResponse } from "./errors.js";
export {
  createDjRoomHandler,
  type DjRoomHandlerOptions,
  type HostIdentity,
  type LiveTransport,
} from "./handler.js";
export { roomEventStream } from "./sse.js";
