import { createSpotifyMusicProvider } from "@portside/dj-room/spotify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSpotify, startFakeSpotify } from "./fake-spotify.js";

describe("Spotify music provider (client credentials)", () => {
  let spotify: FakeSpotify;
  const sleeps: number[] = [];
  let now = 1_700_000_000_000;
  beforeEach(async () => {
    spotify = await startFakeSpotify();
    sleeps.length = 0;
  });
  afterEach(() => spotify.close());

  const provider = (extra: { maxRetryAfterSeconds?: number } = {}) =>
    createSpotifyMusicProvider({
      clientId: spotify.clientId,
      clientSecret: spotify.clientSecret,
      accountsBaseUrl: spotify.accountsBaseUrl,
      apiBaseUrl: spotify.apiBaseUrl,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...extra,
    });

  it("searches tracks and maps Spotify's track objects", async () => {
    const tracks = await provider().search("killers");
    expect(tracks).toEqual([
      {
        provider: "spotify",
        id: "3n3Ppam7vgaVa1iaRUc9Lp",
        uri: "spotify:track:3n3Ppam7vgaVa1iaRUc9Lp",
        title: "Mr. Brightside",
        artists: ["The Killers"],
        album: "Mr. Brightside (Album)",
        durationMs: 222_973,
        imageUrl: "https://i.scdn.co/image/3n3Ppam7vgaVa1iaRUc9Lp",
      },
    ]);
  });

  it("reads a track by id or URI, and answers null for unknown or malformed ids", async () => {
    const p = provider();
    expect((await p.getTrack("spotify:track:4uLU6hMCjMI75M1A2tKUQC"))?.title).toBe("Never Gonna Give You Up");
    expect(await p.getTrack("0000000000000000000000")).toBeNull();
    expect(await p.getTrack("short")).toBeNull();
    expect(await p.getTrack("not valid!")).toBeNull();
  });

  it("fetches one app token for many calls, even concurrent ones, until it nears expiry", async () => {
    const p = provider();
    await Promise.all([p.search("rick"), p.search("ed"), p.getTrack("7qiZfU4dY1lWllzX7mPBI3")]);
    expect(spotify.tokenRequests("client_credentials")).toHaveLength(1);
    now += 3_550_000;
    await p.search("rick");
    expect(spotify.tokenRequests("client_credentials")).toHaveLength(2);
  });

  it("fetches a new token after a 401 and retries once", async () => {
    const p = provider();
    await p.search("rick");
    spotify.expireAccessTokens();
    expect(await p.search("rick")).toHaveLength(1);
    expect(spotify.tokenRequests("client_credentials")).toHaveLength(2);
    expect(spotify.log.filter((l) => l === "GET /v1/search")).toHaveLength(3);
  });

  it("waits out a short 429 by its Retry-After and retries", async () => {
    const p = provider();
    spotify.rateLimitNext(2);
    expect(await p.search("rick")).toHaveLength(1);
    expect(sleeps).toEqual([2000]);
  });

  it("reports a long 429 as provider_rate_limited with the retry time", async () => {
    const p = provider({ maxRetryAfterSeconds: 5 });
    spotify.rateLimitNext(120);
    await expect(p.search("rick")).rejects.toMatchObject({
      code: "PROVIDER_RATE_LIMITED",
      retryAfterSeconds: 120,
    });
    expect(sleeps).toEqual([]);
  });

  it("reports wrong client credentials as provider_unavailable, never a raw error", async () => {
    const p = createSpotifyMusicProvider({
      clientId: "wrong",
      clientSecret: "wrong",
      accountsBaseUrl: spotify.accountsBaseUrl,
      apiBaseUrl: spotify.apiBaseUrl,
    });
    await expect(p.search("rick")).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      details: { reason: "invalid_client" },
    });
  });

  it("reports an unreachable Spotify as provider_unavailable", async () => {
    const base = spotify.apiBaseUrl;
    await spotify.close();
    const p = createSpotifyMusicProvider({
      clientId: "x",
      clientSecret: "y",
      accountsBaseUrl: base,
      apiBaseUrl: base,
    });
    await expect(p.search("rick")).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
    spotify = await startFakeSpotify();
  });
});
