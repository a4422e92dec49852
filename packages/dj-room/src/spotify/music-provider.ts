import { z } from "zod";
import { DjRoomError } from "../errors.js";
import type { MusicProvider } from "../ports/music-provider.js";
import { requestToken, type SpotifyCredentials } from "./accounts.js";
import { failure, resolveHttp, type SpotifyHttpOptions, sendWithRateLimit } from "./http-client.js";
import { spotifyTrackId, spotifyTrackSchema, toTrack } from "./track-mapping.js";

/** Options of `createSpotifyMusicProvider`. */
export interface SpotifyMusicProviderOptions extends SpotifyCredentials, SpotifyHttpOptions {
  /** Fetch a new app token this many seconds before the old one expires. Default 60. */
  refreshMarginSeconds?: number;
  /** ISO 3166-1 market for search and track relinking. */
  market?: string;
}

const searchSchema = z.object({ tracks: z.object({ items: z.array(spotifyTrackSchema.nullable()) }) });

/**
 * Spotify's catalog with the client-credentials grant: one app token, cached until shortly
 * before it expires, fetched by one request at a time, and fetched again after a 401.
 */
export function createSpotifyMusicProvider(options: SpotifyMusicProviderOptions): MusicProvider {
  const http = resolveHttp(options);
  const margin = (options.refreshMarginSeconds ?? 60) * 1000;
  let token: { value: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  const fetchToken = (): Promise<string> => {
    inFlight ??= requestToken(http, options, { grant_type: "client_credentials" })
      .then((response) => {
        token = { value: response.access_token, expiresAt: http.now() + response.expires_in * 1000 };
        return response.access_token;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  const currentToken = async () =>
    token && http.now() < token.expiresAt - margin ? token.value : fetchToken();

  const get = async (
    path: string,
    query: Record<string, string> = {},
    market?: string,
  ): Promise<Response> => {
    const url = new URL(`${http.api}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const chosen = market ?? options.market;
    if (chosen) url.searchParams.set("market", chosen);
    for (let refreshed = false; ; refreshed = true) {
      const used = await currentToken();
      const response = await sendWithRateLimit(http, url.toString(), () => ({
        headers: { authorization: `Bearer ${used}` },
      }));
      if (response.status !== 401 || refreshed) return response;
      await response.body?.cancel();
      // Another request may have fetched a fresh token already.
      if (token?.value === used) token = null;
    }
  };

  return {
    name: "spotify",
    async search(query, searchOptions = {}) {
      const limit = String(Math.min(50, Math.max(1, searchOptions.limit ?? 20)));
      const response = await get("/v1/search", { q: query, type: "track", limit }, searchOptions.market);
      if (!response.ok) throw await failure(response, "Search failed");
      const parsed = searchSchema.safeParse(await response.json());
      if (!parsed.success)
        throw new DjRoomError("PROVIDER_UNAVAILABLE", "Spotify answered search with an unexpected body");
      return parsed.data.tracks.items
        .filter((t) => t !== null && t.is_playable !== false)
        .map((t) => toTrack(t!));
    },
    async getTrack(trackId, lookup = {}) {
      const id = spotifyTrackId(trackId);
      if (!id) return null;
      const response = await get(`/v1/tracks/${id}`, {}, lookup.market);
      if (response.status === 404 || response.status === 400) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) throw await failure(response, "Reading the track failed");
      const parsed = spotifyTrackSchema.safeParse(await response.json());
      if (!parsed.success)
        throw new DjRoomError("PROVIDER_UNAVAILABLE", "Spotify answered with an unexpected track");
      // With a market, Spotify marks what cannot be played there.
      if (parsed.data.is_playable === false) return null;
      return toTrack(parsed.data);
    },
  };
}
