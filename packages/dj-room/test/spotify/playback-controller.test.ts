import { randomBytes } from "node:crypto";
import {
  createAesGcmTokenCipher,
  createMemoryHostTokenStore,
  createSpotifyPlaybackController,
} from "@portside/dj-room/spotify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSpotify, startFakeSpotify } from "./fake-spotify.js";

describe("Spotify playback controller (authorization code with refresh)", () => {
  let spotify: FakeSpotify;
  let now = 1_700_000_000_000;
  const tokens = createMemoryHostTokenStore();
  const cipher = createAesGcmTokenCipher(randomBytes(32));
  beforeEach(async () => {
    spotify = await startFakeSpotify();
    tokens.raw().clear();
  });
  afterEach(() => spotify.close());

  const controller = () =>
    createSpotifyPlaybackController({
      clientId: spotify.clientId,
      clientSecret: spotify.clientSecret,
      accountsBaseUrl: spotify.accountsBaseUrl,
      apiBaseUrl: spotify.apiBaseUrl,
      redirectUri: "http://127.0.0.1:8084/spotify/callback",
      tokens,
      cipher,
      now: () => now,
      sleep: async () => {},
    });

  const connected = async () => {
    const player = controller();
    await player.connect("host-1", spotify.issueAuthorizationCode());
    return player;
  };

  it("builds the authorize URL with scopes, redirect and state", () => {
    const url = new URL(controller().authorizeUrl("the-state"));
    expect(url.pathname).toBe("/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: spotify.clientId,
      redirect_uri: "http://127.0.0.1:8084/spotify/callback",
      state: "the-state",
    });
    expect(url.searchParams.get("scope")).toContain("user-modify-playback-state");
  });

  it("exchanges the code and keeps the tokens encrypted at rest", async () => {
    const player = await connected();
    expect(await player.isConnected("host-1")).toBe(true);
    const stored = tokens.raw().get("host-1")!.ciphertext;
    expect(stored).not.toContain(spotify.refreshTokens[0]);
    expect(stored).not.toContain("access-");
    expect(JSON.parse(await cipher.decrypt(stored))).toMatchObject({
      refreshToken: spotify.refreshTokens[0],
    });
    await expect(controller().connect("host-2", "bogus")).rejects.toMatchObject({
      code: "PROVIDER_NOT_CONNECTED",
    });
  });

  it("plays, queues, skips and reads what is playing", async () => {
    const player = await connected();
    expect(await player.currentlyPlaying("host-1")).toBeNull();
    await player.play("host-1", "4uLU6hMCjMI75M1A2tKUQC");
    await player.enqueue("host-1", "3n3Ppam7vgaVa1iaRUc9Lp");
    expect(await player.currentlyPlaying("host-1")).toEqual({
      trackId: "4uLU6hMCjMI75M1A2tKUQC",
      isPlaying: true,
      progressMs: 0,
      durationMs: 213_573,
    });
    await player.skip("host-1");
    expect((await player.currentlyPlaying("host-1"))?.trackId).toBe("3n3Ppam7vgaVa1iaRUc9Lp");
    await player.skip("host-1");
    await expect(player.skip("host-1")).rejects.toMatchObject({
      code: "PLAYER_NO_DEVICE",
      details: { reason: "NO_ACTIVE_DEVICE" },
    });
  });

  it("refreshes before expiry and keeps the rotated refresh token", async () => {
    const player = await connected();
    now += 3_550_000;
    await player.currentlyPlaying("host-1");
    const refreshes = spotify.tokenRequests("refresh_token");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.params.get("refresh_token")).toBe(spotify.refreshTokens[0]);
    now += 3_550_000;
    await player.currentlyPlaying("host-1");
    expect(spotify.tokenRequests("refresh_token")[1]!.params.get("refresh_token")).toBe(
      spotify.refreshTokens[1],
    );
  });

  it("keeps the old refresh token when Spotify does not rotate it", async () => {
    spotify.rotateRefreshTokens = false;
    const player = await connected();
    for (let i = 0; i < 2; i++) {
      now += 3_550_000;
      await player.currentlyPlaying("host-1");
    }
    const used = spotify.tokenRequests("refresh_token").map((r) => r.params.get("refresh_token"));
    expect(used).toEqual([spotify.refreshTokens[0], spotify.refreshTokens[0]]);
  });

  it("refreshes once for many concurrent calls", async () => {
    const player = await connected();
    now += 3_550_000;
    await Promise.all(Array.from({ length: 8 }, () => player.currentlyPlaying("host-1")));
    expect(spotify.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("refreshes after a 401 and retries the call", async () => {
    const player = await connected();
    spotify.expireAccessTokens();
    await Promise.all([player.play("host-1", "4uLU6hMCjMI75M1A2tKUQC"), player.currentlyPlaying("host-1")]);
    expect(spotify.tokenRequests("refresh_token")).toHaveLength(1);
    expect(spotify.player.trackUri).toBe("spotify:track:4uLU6hMCjMI75M1A2tKUQC");
  });

  it("waits out a 429 on the player", async () => {
    const player = await connected();
    spotify.rateLimitNext(1);
    await player.play("host-1", "4uLU6hMCjMI75M1A2tKUQC");
    expect(spotify.log.filter((l) => l === "PUT /v1/me/player/play")).toHaveLength(2);
  });

  it("drops the tokens and asks to reconnect when the refresh token is refused", async () => {
    const player = await connected();
    spotify.revokeRefreshToken(spotify.refreshTokens[0]!);
    now += 3_550_000;
    await expect(player.currentlyPlaying("host-1")).rejects.toMatchObject({ code: "PROVIDER_NOT_CONNECTED" });
    expect(await player.isConnected("host-1")).toBe(false);
    await expect(player.play("host-1", "x")).rejects.toMatchObject({ code: "PROVIDER_NOT_CONNECTED" });
  });
});
