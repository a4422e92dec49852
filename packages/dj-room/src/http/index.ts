export { type AbuseAction, type AbuseLimits, defaultAbuseLimits } from "./abuse-limits.js";
export { DEVICE_COOKIE } from "./device-cookie.js";
export { DJ_ROOM_STATUS, djRoomErrors } from "./errors.js";
export {
  createDjRoomHandler,
  type DjRoomHandlerOptions,
  type HostIdentity,
  type LiveTransport,
} from "./handler.js";
export { roomEventStream } from "./sse.js";
