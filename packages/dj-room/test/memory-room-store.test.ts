import { createMemoryRoomStore } from "@portside/dj-room";
import { describeRoomStoreConformance } from "@portside/dj-room/testing";

describeRoomStoreConformance("memory", { create: () => createMemoryRoomStore() });
