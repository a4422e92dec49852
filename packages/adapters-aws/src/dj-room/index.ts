export {
  createDynamoConnectionStore,
  type DynamoConnectionStoreOptions,
  type RoomConnection,
  type RoomConnectionStore,
} from "./dynamo-connection-store.js";
export { createDynamoHostTokenStore, type DynamoHostTokenStoreOptions } from "./dynamo-host-token-store.js";
export { createDynamoRateLimiter, type DynamoRateLimiterOptions } from "./dynamo-rate-limiter.js";
export { createDynamoRoomStore, type DynamoRoomStoreOptions } from "./dynamo-room-store.js";
export {
  CONNECTION_TTL_ATTRIBUTE,
  DUE_ROOMS_INDEX,
  djRoomTableDefinitions,
  ROOMS_TABLE,
  roomsTableDefinition,
} from "./tables.js";
export { createWebSocketRoomEvents, type WebSocketRoomEventsOptions } from "./websocket-fan-out.js";
export {
  createWebSocketRoutes,
  type WebSocketRouteEvent,
  type WebSocketRouteResult,
  type WebSocketRoutesOptions,
} from "./websocket-routes.js";
