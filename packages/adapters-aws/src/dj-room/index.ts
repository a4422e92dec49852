export { createDynamoHostTokenStore, type DynamoHostTokenStoreOptions } from "./dynamo-host-token-store.js";
export { createDynamoRoomStore, type DynamoRoomStoreOptions } from "./dynamo-room-store.js";
export { djRoomTableDefinitions, ROOMS_TABLE, roomsTableDefinition } from "./tables.js";
