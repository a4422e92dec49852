import type { DomainModule } from "@portside/service-kit";
import { composeDjRoom, type DjRoomConfig, djRoomDomain } from "@portside/service-kit/dj-room";
import { createPageRoutes } from "./dj-room/page-routes.js";
import type { ComposedService } from "./service.js";

export interface DjRoomServiceOptions {
  /** Serve `GET /rooms/:code/events` as Server-Sent Events. Off for Lambda, which cannot stream here. */
  streamEvents?: boolean;
}

/** The kit's dj-room (demo host sign-in) with the example's party page on `/dj`. */
export async function createDjRoomService(
  config: DjRoomConfig,
  options: DjRoomServiceOptions = {},
): Promise<ComposedService> {
  const room = await composeDjRoom(config, options);
  // The page may open its live socket to the WebSocket API's origin (ws://host:port or wss://host).
  const page = await createPageRoutes({
    connectSources: config.DJ_ROOM_WEBSOCKET_URL ? [new URL(config.DJ_ROOM_WEBSOCKET_URL).origin] : [],
    ...(config.DJ_ROOM_PUBLIC_URL ? { publicUrl: config.DJ_ROOM_PUBLIC_URL } : {}),
  });
  return {
    ...room,
    adapters: { ...room.adapters, page: "/dj" },
    handler: async (request) => (await page(request)) ?? room.handler(request),
  };
}

/** dj-room as the examples serve it, for `composeServices`. */
export const exampleDjRoomDomain: DomainModule<typeof djRoomDomain.configSchema> = {
  ...djRoomDomain,
  compose: (config) => createDjRoomService(config),
};
