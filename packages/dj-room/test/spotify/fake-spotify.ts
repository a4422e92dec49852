import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server answering as Spotify's Web API and accounts service document it:
 * `POST /api/token` (client credentials, authorization code, refresh token), search, tracks and
 * the player endpoints, with 401 for expired or unknown tokens and 429 with Retry-After on demand.
 * Also what real players answer: no active device (`currently-playing` 204, commands 404
 * `NO_ACTIVE_DEVICE`), a free account (commands 403 `PREMIUM_REQUIRED`), a paused player
 * (`is_playing: false`), and `market` (search returns only what plays there; a track read with a
 * market carries `is_playable`), with the market from `GET /v1/me` `country`.
 */
export interface FakeSpotify {
  accountsBaseUrl: string;
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Every request, in order: "METHOD /path" plus the grant type for token requests. */
  log: string[];
  tokenRequests(grant?: string): { grant: string; params: URLSearchParams }[];
  /** Invalidates every issued access token, as if they had expired at Spotify. */
  expireAccessTokens(): void;
  /** The next `count` API requests answer 429 with this Retry-After. */
  rateLimitNext(retryAfterSeconds: number, count?: number): void;
  /** Whether refresh responses carry a new (rotated) refresh token. Default true. */
  rotateRefreshTokens: boolean;
  /** Refresh tokens Spotify no longer accepts (invalid_grant). */
  revokeRefreshToken(token: string): void;
  /** Authorization codes the fake accepts, one-time. */
  issueAuthorizationCode(): string;
  /** Refresh tokens issued, in order. */
  refreshTokens: string[];
  player: { trackUri: string | null; isPlaying: boolean; progressMs: number; queue: string[] };
  /** Whether the host has a device Spotify can play on. Default true. */
  activeDevice: boolean;
  /** Whether the host's account is Premium (only Premium can be controlled). Default true. */
  premium: boolean;
  /** The host's country, as `GET /v1/me` reports it. Default "GB". */
  country: string;
  close(): Promise<void>;
}

const track = (id: string, name: string, artist: string, durationMs: number) => ({
  album: {
    album_type: "album",
    id: `album-${id}`,
    name: `${name} (Album)`,
    images: [{ url: `https://i.scdn.co/image/${id}`, height: 640, width: 640 }],
    uri: `spotify:album:album-${id}`,
  },
  artists: [{ id: `artist-${id}`, name: artist, type: "artist", uri: `spotify:artist:artist-${id}` }],
  duration_ms: durationMs,
  explicit: false,
  external_urls: { spotify: `https://open.spotify.com/track/${id}` },
  href: `https://api.spotify.com/v1/tracks/${id}`,
  id,
  is_local: false,
  name,
  popularity: 50,
  track_number: 1,
  type: "track",
  uri: `spotify:track:${id}`,
});

const everywhere = ["GB", "US", "DE", "FR"];
export const fakeCatalog = [
  {
    ...track("4uLU6hMCjMI75M1A2tKUQC", "Never Gonna Give You Up", "Rick Astley", 213_573),
    available_markets: everywhere,
  },
  {
    ...track("3n3Ppam7vgaVa1iaRUc9Lp", "Mr. Brightside", "The Killers", 222_973),
    available_markets: everywhere,
  },
  {
    ...track("7qiZfU4dY1lWllzX7mPBI3", "Shape of You", "Ed Sheeran", 233_712),
    available_markets: everywhere,
  },
  /** Licensed in the US only: unplayable for a host in GB. */
  {
    ...track("0VjIjW4GlUZAMYd2vXMi3b", "Blinding Lights (US Edition)", "The Weeknd", 200_040),
    available_markets: ["US"],
  },
];

const apiError = (res: ServerResponse, status: number, message: string, reason?: string) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { status, message, ...(reason ? { reason } : {}) } }));
};
const authError = (res: ServerResponse, status: number, error: string, description: string) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error, error_description: description }));
};
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
  });

export async function startFakeSpotify(): Promise<FakeSpotify> {
  const clientId = "fake-client-id";
  const clientSecret = "fake-client-secret";
  const validAccess = new Set<string>();
  const validRefresh = new Set<string>();
  const codes = new Set<string>();
  const tokenLog: { grant: string; params: URLSearchParams }[] = [];
  let rateLimit = { remaining: 0, retryAfter: 0 };
  const newToken = (prefix: string) => `${prefix}-${randomBytes(8).toString("hex")}`;

  const fake: Omit<FakeSpotify, "accountsBaseUrl" | "apiBaseUrl" | "close"> = {
    clientId,
    clientSecret,
    log: [],
    tokenRequests: (grant) => tokenLog.filter((t) => !grant || t.grant === grant),
    expireAccessTokens: () => validAccess.clear(),
    rateLimitNext(retryAfter, count = 1) {
      rateLimit = { remaining: count, retryAfter };
    },
    rotateRefreshTokens: true,
    revokeRefreshToken: (token) => validRefresh.delete(token),
    issueAuthorizationCode() {
      const code = newToken("code");
      codes.add(code);
      return code;
    },
    refreshTokens: [],
    player: { trackUri: null, isPlaying: false, progressMs: 0, queue: [] },
    activeDevice: true,
    premium: true,
    country: "GB",
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
    const params = new URLSearchParams(await readBody(req));
    const grant = params.get("grant_type") ?? "";
    tokenLog.push({ grant, params });
    fake.log.push(`POST /api/token ${grant}`);
    if (req.headers.authorization !== expected)
      return authError(res, 400, "invalid_client", "Invalid client");
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded") {
      return authError(res, 400, "invalid_request", "Unsupported content type");
    }
    const access = newToken("access");
    if (grant === "client_credentials") {
      validAccess.add(access);
      return json(res, 200, { access_token: access, token_type: "Bearer", expires_in: 3600 });
    }
    if (grant === "authorization_code") {
      const code = params.get("code") ?? "";
      if (!codes.delete(code)) return authError(res, 400, "invalid_grant", "Invalid authorization code");
      if (!params.get("redirect_uri")) return authError(res, 400, "invalid_request", "redirect_uri required");
      const refresh = newToken("refresh");
      validAccess.add(access);
      validRefresh.add(refresh);
      fake.refreshTokens.push(refresh);
      return json(res, 200, {
        access_token: access,
        token_type: "Bearer",
        scope: "user-read-playback-state user-modify-playback-state",
        expires_in: 3600,
        refresh_token: refresh,
      });
    }
    if (grant === "refresh_token") {
      const old = params.get("refresh_token") ?? "";
      if (!validRefresh.has(old)) return authError(res, 400, "invalid_grant", "Invalid refresh token");
      validAccess.add(access);
      const body: Record<string, unknown> = {
        access_token: access,
        token_type: "Bearer",
        scope: "user-read-playback-state user-modify-playback-state",
        expires_in: 3600,
      };
      if (fake.rotateRefreshTokens) {
        const refresh = newToken("refresh");
        validRefresh.delete(old);
        validRefresh.add(refresh);
        fake.refreshTokens.push(refresh);
        body.refresh_token = refresh;
      }
      return json(res, 200, body);
    }
    return authError(res, 400, "unsupported_grant_type", `grant_type ${grant} is not supported`);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    fake.log.push(`${req.method} ${url.pathname}`);
    if (rateLimit.remaining > 0) {
      rateLimit.remaining--;
      res.writeHead(429, { "retry-after": String(rateLimit.retryAfter), "content-type": "application/json" });
      return res.end(JSON.stringify({ error: { status: 429, message: "API rate limit exceeded" } }));
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer) return apiError(res, 401, "No token provided");
    if (!validAccess.has(bearer)) return apiError(res, 401, "The access token expired");
    const path = url.pathname;
    if (req.method === "GET" && path === "/v1/search") {
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      if (!q) return apiError(res, 400, "No search query");
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const market = url.searchParams.get("market");
      // With a market, Spotify returns only content available there (and no available_markets).
      const items = fakeCatalog
        .filter((t) => `${t.name} ${t.artists[0]!.name}`.toLowerCase().includes(q))
        .filter((t) => !market || t.available_markets.includes(market))
        .map(({ available_markets, ...t }) =>
          market ? { ...t, is_playable: true } : { ...t, available_markets },
        )
        .slice(0, limit);
      return json(res, 200, {
        tracks: {
          href: url.toString(),
          items,
          limit,
          next: null,
          offset: 0,
          previous: null,
          total: items.length,
        },
      });
    }
    const trackMatch = /^\/v1\/tracks\/([^/]+)$/.exec(path);
    if (req.method === "GET" && trackMatch) {
      const found = fakeCatalog.find((t) => t.id === trackMatch[1]);
      if (!/^[A-Za-z0-9]{22}$/.test(trackMatch[1]!)) return apiError(res, 400, "invalid id");
      if (!found) return apiError(res, 404, "Resource not found");
      const market = url.searchParams.get("market");
      if (!market) return json(res, 200, found);
      const { available_markets, ...rest } = found;
      return json(res, 200, { ...rest, is_playable: available_markets.includes(market) });
    }
    if (req.method === "GET" && path === "/v1/me") {
      return json(res, 200, {
        id: "host-user",
        display_name: "Host",
        country: fake.country,
        product: fake.premium ? "premium" : "free",
        type: "user",
      });
    }
    const command = path.startsWith("/v1/me/player/") && req.method !== "GET";
    if (command && !fake.premium) {
      return apiError(res, 403, "Player command failed: Premium required", "PREMIUM_REQUIRED");
    }
    if (command && !fake.activeDevice) {
      return apiError(res, 404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
    }
    const p = fake.player;
    if (req.method === "GET" && path === "/v1/me/player/currently-playing") {
      if (!p.trackUri || !fake.activeDevice) {
        res.writeHead(204);
        return res.end();
      }
      const item = fakeCatalog.find((t) => t.uri === p.trackUri) ?? null;
      return json(res, 200, {
        timestamp: Date.now(),
        context: null,
        progress_ms: p.progressMs,
        item,
        currently_playing_type: "track",
        is_playing: p.isPlaying,
      });
    }
    if (req.method === "PUT" && path === "/v1/me/player/play") {
      const body = JSON.parse((await readBody(req)) || "{}") as { uris?: string[] };
      p.trackUri = body.uris?.[0] ?? p.trackUri;
      p.isPlaying = true;
      p.progressMs = 0;
      res.writeHead(204);
      return res.end();
    }
    if (req.method === "POST" && path === "/v1/me/player/queue") {
      const uri = url.searchParams.get("uri");
      if (!uri) return apiError(res, 400, "Missing uri");
      p.queue.push(uri);
      res.writeHead(204);
      return res.end();
    }
    if (req.method === "POST" && path === "/v1/me/player/next") {
      if (!p.trackUri)
        return apiError(res, 404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
      p.trackUri = p.queue.shift() ?? null;
      p.progressMs = 0;
      res.writeHead(204);
      return res.end();
    }
    return apiError(res, 404, "Service not found");
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const handle =
      url.pathname === "/api/token" && req.method === "POST" ? token(req, res) : api(req, res, url);
    handle.catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(fake, {
    accountsBaseUrl: base,
    apiBaseUrl: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeSpotify;
}
