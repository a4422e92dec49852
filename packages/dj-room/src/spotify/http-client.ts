import { DjRoomError } from "../errors.js";

/** How the Spotify clients reach Spotify: base URLs and `fetch`, overridable for tests. */
export interface SpotifyHttpOptions {
  /** Default https://accounts.spotify.com */
  accountsBaseUrl?: string;
  /** Default https://api.spotify.com */
  apiBaseUrl?: string;
  /** The `fetch` to call Spotify with (a stand-in in tests). */
  fetch?: typeof fetch;
  /** A 429 whose Retry-After is at most this many seconds is waited out once; longer ones are reported. Default 5. */
  maxRetryAfterSeconds?: number;
  /** How to wait out a short `Retry-After` (instant in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
}

export interface ResolvedHttp {
  accounts: string;
  api: string;
  fetch: typeof fetch;
  maxRetryAfterSeconds: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Until when each token (a host's, or the app's) must not call Spotify: one backoff per token. */
  blockedUntil: Map<string, number>;
}

export function resolveHttp(options: SpotifyHttpOptions): ResolvedHttp {
  return {
    accounts: (options.accountsBaseUrl ?? "https://accounts.spotify.com").replace(/\/$/, ""),
    api: (options.apiBaseUrl ?? "https://api.spotify.com").replace(/\/$/, ""),
    fetch: options.fetch ?? globalThis.fetch,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 5,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    blockedUntil: new Map(),
  };
}

async function send(http: ResolvedHttp, url: string, init: RequestInit): Promise<Response> {
  try {
    return await http.fetch(url, init);
  } catch (error) {
    throw new DjRoomError("PROVIDER_UNAVAILABLE", "Spotify could not be reached", { cause: error });
  }
}

async function errorMessage(response: Response): Promise<{ message: string; reason?: string }> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as {
      error?: { message?: string; reason?: string } | string;
      error_description?: string;
    };
    if (typeof body.error === "object" && body.error)
      return { message: body.error.message ?? text, reason: body.error.reason };
    if (typeof body.error === "string")
      return { message: body.error_description ?? body.error, reason: body.error };
  } catch {
    // Not JSON: report the text.
  }
  return { message: text || response.statusText };
}

const rateLimited = (retryAfterSeconds: number) =>
  new DjRoomError("PROVIDER_RATE_LIMITED", "Spotify is rate limiting us", {
    retryAfterSeconds,
    details: { retryAfterSeconds },
  });

/**
 * Sends a request with the backoff of its token (`key`): a 429's Retry-After holds every
 * request of that token, not only the one that got it. A short wait (≤ maxRetryAfterSeconds)
 * is waited out once; a longer one is `PROVIDER_RATE_LIMITED` with the seconds left. 5xx and
 * network failures become `PROVIDER_UNAVAILABLE`.
 */
export async function sendWithRateLimit(
  http: ResolvedHttp,
  url: string,
  init: () => RequestInit,
  key = "app",
  /** Shares a new backoff beyond this process (the host token store), best effort. */
  onBackoff?: (until: number) => Promise<void>,
): Promise<Response> {
  let waited = false;
  const blockedMs = (http.blockedUntil.get(key) ?? 0) - http.now();
  if (blockedMs > 0) {
    if (blockedMs > http.maxRetryAfterSeconds * 1000) throw rateLimited(Math.ceil(blockedMs / 1000));
    await http.sleep(blockedMs);
    waited = true;
  }
  for (;;) {
    const response = await send(http, url, init());
    if (response.status === 429) {
      const retryAfter = Math.max(0, Number(response.headers.get("retry-after") ?? "1") || 1);
      await response.body?.cancel();
      const until = Math.max(http.blockedUntil.get(key) ?? 0, http.now() + retryAfter * 1000);
      http.blockedUntil.set(key, until);
      await onBackoff?.(until).catch(() => {});
      if (!waited && retryAfter <= http.maxRetryAfterSeconds) {
        await http.sleep(retryAfter * 1000);
        waited = true;
        continue;
      }
      throw rateLimited(retryAfter);
    }
    if (response.status >= 500) {
      const { message } = await errorMessage(response);
      throw new DjRoomError("PROVIDER_UNAVAILABLE", `Spotify answered ${response.status}: ${message}`);
    }
    return response;
  }
}

export async function failure(response: Response, what: string): Promise<DjRoomError> {
  const { message, reason } = await errorMessage(response);
  return new DjRoomError("PROVIDER_UNAVAILABLE", `${what}: Spotify answered ${response.status}: ${message}`, {
    details: { status: response.status, ...(reason ? { reason } : {}) },
  });
}

export { errorMessage };
