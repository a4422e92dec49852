import { createDjRoomHandler } from "@portside/dj-room/http";
import { createOAuthStateBinder } from "@portside/dj-room/spotify";
import { createDjRoomCore, logWarning } from "../dj-room/composition.js";
import type { DjRoomConfig } from "../dj-room/config.js";
import { createDemoHostAuth } from "../dj-room/host-auth.js";
import { createPageRoutes } from "../dj-room/page-routes.js";
import { createSpotifyRoutes } from "../dj-room/spotify-routes.js";
import type { ComposedService } from "../service.js";

export { type DjRoomConfig, djRoomConfigSchema } from "../dj-room/config.js";
export { createDjRoomWebSocketHandler } from "../dj-room/websocket.js";

/**
 * The client address the nearest proxy saw: the last `X-Forwarded-For` hop (API Gateway, an
 * ALB and the Express host append it; earlier hops are the client's own claim).
 */
function forwardedClientAddress(request: Request): string | null {
  const hops = (request.headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim());
  return hops.filter(Boolean).at(-1) ?? null;
}

export interface DjRoomServiceOptions {
  /** Serve `GET /rooms/:code/events` as Server-Sent Events. Off for Lambda, which cannot stream here. */
  streamEvents?: boolean;
}

export async function createDjRoomService(
  config: DjRoomConfig,
  options: DjRoomServiceOptions = {},
): Promise<ComposedService> {
  const streamEvents = options.streamEvents ?? true;
  const { dj, secret, spotify, live, adapters, rateLimiter } = await createDjRoomCore(config);
  const hostAuth = createDemoHostAuth(secret);
  const api = createDjRoomHandler({
    dj,
    authenticateHost: (request) => hostAuth.authenticate(request),
    ...(streamEvents ? { events: live } : {}),
    ...(config.DJ_ROOM_WEBSOCKET_URL ? { webSocketUrl: config.DJ_ROOM_WEBSOCKET_URL } : {}),
    ...(config.DJ_ROOM_PUBLIC_URL ? { publicUrl: config.DJ_ROOM_PUBLIC_URL } : {}),
    rateLimiter,
    clientAddress: forwardedClientAddress,
    secureCookies: config.DJ_ROOM_PUBLIC_URL?.startsWith("https:") ?? false,
  });
  const spotifyRoutes = createSpotifyRoutes({
    player: spotify?.player ?? null,
    states: createOAuthStateBinder({ secret }),
    authenticateHost: (request) => hostAuth.authenticate(request),
  });
  // The page may open its live socket to the WebSocket API's origin (ws://host:port or wss://host).
  const pageRoutes = await createPageRoutes({
    connectSources: config.DJ_ROOM_WEBSOCKET_URL ? [new URL(config.DJ_ROOM_WEBSOCKET_URL).origin] : [],
    ...(config.DJ_ROOM_PUBLIC_URL ? { publicUrl: config.DJ_ROOM_PUBLIC_URL } : {}),
  });
  let timer: NodeJS.Timeout | undefined;

  return {
    name: "dj-room",
    adapters,
    async handler(request) {
      const { pathname } = new URL(request.url);
      const pageResponse = await pageRoutes(request);
      if (pageResponse) return pageResponse;
      if (pathname === "/dj/host-login" && request.method === "POST") return hostAuth.login(request);
      if (pathname === "/dj/me" && request.method === "GET") {
        const host = await hostAuth.authenticate(request);
        return Response.json({ host, spotify: spotify ? "configured" : "demo" });
      }
      if (pathname.startsWith("/spotify")) return spotifyRoutes(request);
      return api(request);
    },
    async start() {
      // Any instance advances any room whose song should have ended: the next check time is in
      // the store, and a conditional write lets one instance act per song end.
      timer = setInterval(() => {
        dj.checkDueRooms().catch((error) => logWarning(config, "playback checks", error));
      }, config.DJ_ROOM_SYNC_SECONDS * 1000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
    },
  };
}

/**
 * One round of playback checks over every due room, for a scheduler with no long-running
 * process (a Lambda on an EventBridge schedule, every minute). Returns how many rooms it checked.
 */
export async function createDjRoomPlaybackChecks(config: DjRoomConfig): Promise<() => Promise<number>> {
  const { dj } = await createDjRoomCore(config);
  return () => dj.checkDueRooms();
}
