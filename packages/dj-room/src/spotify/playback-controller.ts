import { z } from "zod";
import { DjRoomError, isDjRoomError } from "../errors.js";
import type { PlaybackController, PlayerState } from "../ports/playback-controller.js";
import { requestToken, type SpotifyCredentials } from "./accounts.js";
import type { HostTokenStore } from "./host-token-store.js";
import { failure, resolveHttp, type SpotifyHttpOptions, sendWithRateLimit } from "./http-client.js";
import type { TokenCipher } from "./token-cipher.js";
import { spotifyTrackSchema } from "./track-mapping.js";

/** The Spotify scopes the player asks a host to grant. */
export const SPOTIFY_PLAYER_SCOPES = [
  "user-read-playback-state",
  "user-modify-playback-state",
  "user-read-currently-playing",
  // `/v1/me` returns the account's country (the market for catalog lookups) only with this scope.
  "user-read-private",
];

/** Options of `createSpotifyPlaybackController`. */
export interface SpotifyPlayerOptions extends SpotifyCredentials, SpotifyHttpOptions {
  /** Where the encrypted tokens of each host are kept. */
  tokens: HostTokenStore;
  cipher: TokenCipher;
  /** The redirect URI registered with Spotify for the authorization-code flow. */
  redirectUri: string;
  /** Refresh a host's access token this many seconds before it expires. Default 60. */
  refreshMarginSeconds?: number;
  scopes?: string[];
}

const storedTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.number(),
  scope: z.string().optional(),
});
type StoredTokens = z.infer<typeof storedTokensSchema>;
type Loaded = StoredTokens & { version: number; blockedUntil?: number };

const currentlyPlayingSchema = z.object({
  is_playing: z.boolean(),
  progress_ms: z.number().nullable().optional(),
  item: spotifyTrackSchema.nullable().optional(),
});

const profileSchema = z.object({ country: z.string().length(2).optional() });
const MARKET_TTL_MS = 60 * 60 * 1000;

/** Spotify's documented player refusals as the port's errors. */
function playerFailure(error: DjRoomError): DjRoomError {
  const reason = error.details?.reason;
  if (reason === "NO_ACTIVE_DEVICE")
    return new DjRoomError("PLAYER_NO_DEVICE", "No active Spotify device: open Spotify and press play", {
      cause: error,
      details: error.details,
    });
  if (reason === "PREMIUM_REQUIRED")
    return new DjRoomError("PLAYER_PREMIUM_REQUIRED", "Spotify Premium is required to control playback", {
      cause: error,
      details: error.details,
    });
  return error;
}

export interface SpotifyPlayer extends PlaybackController {
  /** Where to send the host to grant access; `state` must come from an `OAuthStateBinder`. */
  authorizeUrl(state: string): string;
  /** Exchanges the code from the callback for the host's tokens and stores them encrypted. */
  connect(hostId: string, code: string): Promise<void>;
  /** Forgets a host's tokens. */
  disconnect(hostId: string): Promise<void>;
  /** Whether a host has granted access. */
  isConnected(hostId: string): Promise<boolean>;
}

/**
 * The host's Spotify player through the authorization-code grant. Tokens are stored
 * encrypted, refreshed shortly before they expire (or after a 401) by one request per host at
 * a time, and a refresh token Spotify rotates replaces the old one.
 */
export function createSpotifyPlaybackController(options: SpotifyPlayerOptions): SpotifyPlayer {
  const http = resolveHttp(options);
  const margin = (options.refreshMarginSeconds ?? 60) * 1000;
  const refreshing = new Map<string, Promise<Loaded>>();

  const load = async (hostId: string): Promise<Loaded> => {
    const stored = await options.tokens.get(hostId);
    if (!stored) throw new DjRoomError("PROVIDER_NOT_CONNECTED", "Connect Spotify first");
    const parsed = storedTokensSchema.safeParse(JSON.parse(await options.cipher.decrypt(stored.ciphertext)));
    if (!parsed.success)
      throw new DjRoomError("PROVIDER_NOT_CONNECTED", "Stored Spotify tokens are unreadable");
    return { ...parsed.data, version: stored.version, blockedUntil: stored.blockedUntil ?? 0 };
  };
  const save = async (hostId: string, tokens: StoredTokens, expectedVersion?: number): Promise<number> =>
    options.tokens.put(hostId, await options.cipher.encrypt(JSON.stringify(tokens)), expectedVersion);

  /**
   * Refreshes the host's tokens once per process at a time, and safely across instances: the
   * write is conditional on the version read; losing it, or a refresh token another instance
   * just rotated (`invalid_grant`), means using the tokens that instance stored. Only a refusal
   * of the version we read deletes it.
   */
  const refresh = (hostId: string, stale: Loaded): Promise<Loaded> => {
    let running = refreshing.get(hostId);
    if (!running) {
      running = (async () => {
        for (;;) {
          const latest = await load(hostId);
          if (latest.version !== stale.version) return latest;
          let response: Awaited<ReturnType<typeof requestToken>>;
          try {
            response = await requestToken(http, options, {
              grant_type: "refresh_token",
              refresh_token: latest.refreshToken,
            });
          } catch (error) {
            if (!isDjRoomError(error, "PROVIDER_NOT_CONNECTED")) throw error;
            const current = await options.tokens.get(hostId);
            if (current && current.version !== latest.version) return load(hostId);
            await options.tokens.delete(hostId, latest.version);
            throw error;
          }
          const next: StoredTokens = {
            accessToken: response.access_token,
            refreshToken: response.refresh_token ?? latest.refreshToken,
            expiresAt: http.now() + response.expires_in * 1000,
            scope: response.scope ?? latest.scope,
          };
          try {
            return { ...next, version: await save(hostId, next, latest.version) };
          } catch (error) {
            // Another instance stored newer tokens first: the next round reads and returns them.
            if (!isDjRoomError(error, "CONFLICT")) throw error;
          }
        }
      })().finally(() => refreshing.delete(hostId));
      refreshing.set(hostId, running);
    }
    return running;
  };

  const freshTokens = async (hostId: string) => {
    const pending = refreshing.get(hostId);
    if (pending) return pending;
    const tokens = await load(hostId);
    return http.now() < tokens.expiresAt - margin ? tokens : refresh(hostId, tokens);
  };

  const call = async (hostId: string, method: string, path: string, body?: unknown): Promise<Response> => {
    for (let retried = false; ; retried = true) {
      const tokens = await freshTokens(hostId);
      // Another instance may have met a 429 for this host: its backoff holds here too.
      const key = `host:${hostId}`;
      if ((tokens.blockedUntil ?? 0) > (http.blockedUntil.get(key) ?? 0))
        http.blockedUntil.set(key, tokens.blockedUntil!);
      const response = await sendWithRateLimit(
        http,
        `${http.api}${path}`,
        () => ({
          method,
          headers: {
            authorization: `Bearer ${tokens.accessToken}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        key,
        (until) => options.tokens.holdUntil(hostId, until),
      );
      if (response.status !== 401 || retried) return response;
      await response.body?.cancel();
      await refresh(hostId, tokens);
    }
  };
  const expectOk = async (response: Response, what: string) => {
    if (!response.ok) throw playerFailure(await failure(response, what));
    await response.body?.cancel();
  };
  const markets = new Map<string, { country: string | null; until: number }>();

  return {
    name: "spotify",
    authorizeUrl(state) {
      const url = new URL(`${http.accounts}/authorize`);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", options.clientId);
      url.searchParams.set("scope", (options.scopes ?? SPOTIFY_PLAYER_SCOPES).join(" "));
      url.searchParams.set("redirect_uri", options.redirectUri);
      url.searchParams.set("state", state);
      return url.toString();
    },
    async connect(hostId, code) {
      const response = await requestToken(http, options, {
        grant_type: "authorization_code",
        code,
        redirect_uri: options.redirectUri,
      });
      if (!response.refresh_token)
        throw new DjRoomError("PROVIDER_UNAVAILABLE", "Spotify returned no refresh token");
      await save(hostId, {
        accessToken: response.access_token,
        refreshToken: response.refresh_token,
        expiresAt: http.now() + response.expires_in * 1000,
        scope: response.scope,
      });
    },
    async disconnect(hostId) {
      await options.tokens.delete(hostId);
    },
    async isConnected(hostId) {
      return (await options.tokens.get(hostId)) !== null;
    },
    async currentlyPlaying(hostId): Promise<PlayerState | null> {
      const response = await call(hostId, "GET", "/v1/me/player/currently-playing");
      if (response.status === 204) return null;
      if (!response.ok) throw await failure(response, "Reading the player failed");
      const parsed = currentlyPlayingSchema.safeParse(await response.json());
      if (!parsed.success)
        throw new DjRoomError("PROVIDER_UNAVAILABLE", "Spotify answered with an unexpected player state");
      const { is_playing, progress_ms, item } = parsed.data;
      return {
        trackId: item?.id ?? null,
        isPlaying: is_playing,
        progressMs: progress_ms ?? 0,
        durationMs: item?.duration_ms ?? null,
      };
    },
    async play(hostId, trackId) {
      await expectOk(
        await call(hostId, "PUT", "/v1/me/player/play", { uris: [`spotify:track:${trackId}`] }),
        "Play",
      );
    },
    async enqueue(hostId, trackId) {
      const uri = encodeURIComponent(`spotify:track:${trackId}`);
      await expectOk(await call(hostId, "POST", `/v1/me/player/queue?uri=${uri}`), "Queue");
    },
    async skip(hostId) {
      await expectOk(await call(hostId, "POST", "/v1/me/player/next"), "Skip");
    },
    async market(hostId) {
      const cached = markets.get(hostId);
      if (cached && http.now() < cached.until) return cached.country;
      const response = await call(hostId, "GET", "/v1/me");
      if (!response.ok) throw await failure(response, "Reading the host's profile failed");
      const parsed = profileSchema.safeParse(await response.json());
      const country = parsed.success ? (parsed.data.country ?? null) : null;
      markets.set(hostId, { country, until: http.now() + MARKET_TTL_MS });
      return country;
    },
  };
}
