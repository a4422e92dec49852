import type { OAuthStateBinder, SpotifyPlayer } from "@portside/dj-room/spotify";
import { readCookie } from "./host-auth.js";

const NONCE_COOKIE = "dj_spotify_oauth";

const error = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message, details: null } }, { status });

/**
 * `/spotify/login` sends a signed-in host to Spotify with a `state` bound to this browser
 * session (a nonce in an HttpOnly cookie); `/spotify/callback` accepts only that session's
 * state, for the same host, and stores the host's tokens encrypted.
 */
export function createSpotifyRoutes(options: {
  player: SpotifyPlayer | null;
  states: OAuthStateBinder;
  authenticateHost(request: Request): Promise<{ hostId: string } | null>;
}) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (!options.player) return error(404, "not_configured", "Spotify is not configured (see .env.sample)");
    const host = await options.authenticateHost(request);
    if (!host) return error(401, "UNAUTHORIZED", "Sign in as a host first");
    const secure = url.protocol === "https:" ? "; Secure" : "";
    if (url.pathname === "/spotify/login" && request.method === "GET") {
      const { state, nonce } = await options.states.issue(host.hostId);
      return new Response(null, {
        status: 302,
        headers: {
          location: options.player.authorizeUrl(state),
          "set-cookie": `${NONCE_COOKIE}=${nonce}; Path=/spotify; HttpOnly; SameSite=Lax; Max-Age=600${secure}`,
        },
      });
    }
    if (url.pathname === "/spotify/callback" && request.method === "GET") {
      const denied = url.searchParams.get("error");
      if (denied) return error(403, "FORBIDDEN", `Spotify access was not granted: ${denied}`);
      const state = url.searchParams.get("state") ?? "";
      const code = url.searchParams.get("code");
      if (!code) return error(400, "VALIDATION", "The callback has no code");
      try {
        await options.states.verify(state, readCookie(request, NONCE_COOKIE), host.hostId);
      } catch (cause) {
        const status = (cause as { code?: string }).code === "FORBIDDEN" ? 403 : 401;
        return error(status, status === 403 ? "FORBIDDEN" : "UNAUTHORIZED", (cause as Error).message);
      }
      await options.player.connect(host.hostId, code);
      return new Response(null, {
        status: 302,
        headers: {
          location: "/dj",
          "set-cookie": `${NONCE_COOKIE}=; Path=/spotify; HttpOnly; Max-Age=0${secure}`,
        },
      });
    }
    if (url.pathname === "/spotify/status" && request.method === "GET") {
      return Response.json({ connected: await options.player.isConnected(host.hostId) });
    }
    return error(404, "NOT_FOUND", `No route for ${url.pathname}`);
  };
}
