export { entryFixture, guestFixture, roomFixture, trackFixture } from "./fixtures.js";
export { describeRoomStoreConformance, type RoomStoreConformanceOptions } from "./room-store-conformance.js";
