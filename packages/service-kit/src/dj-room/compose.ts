import { createDjRoomHandler } from "@portside/dj-room/http";
import { createOAuthStateBinder } from "@portside/dj-room/spotify";
import { domainRoutes } from "../manifest/domains.js";
import type { ComposedDomain } from "../runtime/domain-module.js";
import type { DjRoomConfig } from "./config.js";
import { createDjRoomCore, logWarning } from "./core.js";
import { DEMO_COVER_PATH, demoCoverSvg } from "./demo-covers.js";
import { createDemoHostAuth } from "./host-auth.js";
import { createSpotifyRoutes } from "./spotify-routes.js";

/** Who the host of a request is, from your application's sign-in; null when nobody is signed in. */
export type HostAuthenticator = (request: Request) => Promise<{ hostId: string; name?: string } | null>;

/** How dj-room is served beside what the config says. */
export interface DjRoomComposeOptions {
  /**
   * Your application's host sign-in. Default: the demo sign-in, `POST /dj/host-login` with a
   * display name (no password) setting a signed HttpOnly cookie: fine for a party, not for accounts.
   */
  authenticateHost?: HostAuthenticator;
  /**
   * Serve `GET /rooms/:code/events` as Server-Sent Events (otherwise it answers 501). Default:
   * on, except on AWS Lambda (`AWS_LAMBDA_FUNCTION_NAME` set), whose fetch adapter buffers the
   * body, so a stream would never end; browsers follow rooms through the WebSocket API there.
   */
  streamEvents?: boolean;
}

/**
 * The client address the nearest proxy saw: the last `X-Forwarded-For` hop (API Gateway, an
 * ALB and the Express host append it; earlier hops are the client's own claim).
 */
function forwardedClientAddress(request: Request): string | null {
  const hops = (request.headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim());
  return hops.filter(Boolean).at(-1) ?? null;
}

function coverResponse(pathname: string, method: string): Response | null {
  const svg = demoCoverSvg(pathname.slice(DEMO_COVER_PATH.length).replace(/\.svg$/, ""));
  return svg === null
    ? null
    : new Response(method === "HEAD" ? null : svg, {
        headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" },
      });
}

/**
 * dj-room on its embedded defaults (memory rooms, demo catalog and player), or on DynamoDB,
 * EventBridge, Spotify and the WebSocket API as the config names them. Serves `/rooms`, the
 * Spotify sign-in (`/spotify/login`, `/spotify/callback`), the host sign-in and the demo covers.
 */
export async function composeDjRoom(
  config: DjRoomConfig,
  options: DjRoomComposeOptions = {},
): Promise<ComposedDomain> {
  const { dj, secret, spotify, live, adapters, rateLimiter } = await createDjRoomCore(config);
  const demoHostAuth = createDemoHostAuth(secret);
  const authenticateHost =
    options.authenticateHost ?? ((request: Request) => demoHostAuth.authenticate(request));
  const api = createDjRoomHandler({
    dj,
    authenticateHost,
    ...((options.streamEvents ?? !config.AWS_LAMBDA_FUNCTION_NAME) ? { events: live } : {}),
    ...(config.DJ_ROOM_WEBSOCKET_URL ? { webSocketUrl: config.DJ_ROOM_WEBSOCKET_URL } : {}),
    ...(config.DJ_ROOM_PUBLIC_URL ? { publicUrl: config.DJ_ROOM_PUBLIC_URL } : {}),
    rateLimiter,
    clientAddress: forwardedClientAddress,
    secureCookies: config.DJ_ROOM_PUBLIC_URL?.startsWith("https:") ?? false,
  });
  const spotifyRoutes = createSpotifyRoutes({
    player: spotify?.player ?? null,
    states: createOAuthStateBinder({ secret }),
    authenticateHost,
  });
  let timer: NodeJS.Timeout | undefined;

  return {
    name: "dj-room",
    routes: domainRoutes["dj-room"],
    adapters: {
      ...adapters,
      hosts: options.authenticateHost ? "application sign-in" : "demo sign-in (/dj/host-login)",
    },
    async handler(request) {
      const { pathname } = new URL(request.url);
      if (pathname === "/dj/host-login" && request.method === "POST" && !options.authenticateHost)
        return demoHostAuth.login(request);
      if (pathname === "/dj/me" && request.method === "GET") {
        const host = await authenticateHost(request);
        return Response.json({ host, spotify: spotify ? "configured" : "demo" });
      }
      if (pathname.startsWith(DEMO_COVER_PATH) && (request.method === "GET" || request.method === "HEAD")) {
        const cover = coverResponse(pathname, request.method);
        if (cover) return cover;
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
