import { randomBytes } from "node:crypto";
import { createDjRoom, createMemoryRoomStore, createSessionTokens, type Session } from "@portside/dj-room";
import {
  createAesGcmTokenCipher,
  createMemoryHostTokenStore,
  createSpotifyMusicProvider,
  createSpotifyPlaybackController,
} from "@portside/dj-room/spotify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "../support.js";
import { type FakeSpotify, fakeCatalog, startFakeSpotify } from "./fake-spotify.js";

const [rick, killers, sheeran, usOnly] = fakeCatalog.map((t) => t.id) as [string, string, string, string];
const duration = (id: string) => fakeCatalog.find((t) => t.id === id)!.duration_ms;

describe("playback against Spotify's real answers (paused, no device, no Premium, market)", () => {
  let spotify: FakeSpotify;
  beforeEach(async () => {
    spotify = await startFakeSpotify();
  });
  afterEach(() => spotify.close());

  const room = async () => {
    const clock = manualClock(Date.now());
    const common = {
      clientId: spotify.clientId,
      clientSecret: spotify.clientSecret,
      accountsBaseUrl: spotify.accountsBaseUrl,
      apiBaseUrl: spotify.apiBaseUrl,
    };
    const player = createSpotifyPlaybackController({
      ...common,
      redirectUri: "http://127.0.0.1/spotify/callback",
      tokens: createMemoryHostTokenStore(),
      cipher: createAesGcmTokenCipher(randomBytes(32)),
      sleep: async () => {},
    });
    await player.connect("host-1", spotify.issueAuthorizationCode());
    const dj = createDjRoom({
      store: createMemoryRoomStore(),
      provider: createSpotifyMusicProvider(common),
      player,
      tokens: createSessionTokens({ secret: randomBytes(32), now: clock.ms }),
      clock,
    });
    const opened = await dj.openRoom("host-1", {});
    const host = await dj.authenticate(opened.token);
    return { dj, clock, host };
  };
  const stateOf = (dj: Awaited<ReturnType<typeof room>>["dj"], host: Session) => dj.getState(host);

  it("a paused player is paused: the room shows it and does not advance until the track really ends", async () => {
    const { dj, clock, host } = await room();
    await dj.addTrack(host, rick);
    await dj.addTrack(host, killers);
    await dj.start(host);
    expect(spotify.player).toMatchObject({ trackUri: `spotify:track:${rick}`, isPlaying: true });
    spotify.player.isPlaying = false;
    spotify.player.progressMs = 60_000;
    clock.advance(duration(rick) + 5_000);
    await dj.checkDueRooms();
    let state = await stateOf(dj, host);
    expect(state.room.playback).toMatchObject({ phase: "playing", track: { id: rick } });
    expect(state.room.player).toMatchObject({ status: "paused", progressMs: 60_000 });
    expect(state.queue.map((e) => e.track.id)).toEqual([killers]);
    // Still paused a minute later: still nothing skipped.
    clock.advance(61_000);
    await dj.checkDueRooms();
    expect((await stateOf(dj, host)).room.playback).toMatchObject({ track: { id: rick } });
    // Played to its end: the next track starts.
    spotify.player.progressMs = duration(rick);
    clock.advance(61_000);
    await dj.checkDueRooms();
    state = await stateOf(dj, host);
    expect(state.room.playback).toMatchObject({ phase: "playing", track: { id: killers } });
    expect(state.history.map((h) => [h.track.id, h.status])).toEqual([[rick, "played"]]);
    expect(spotify.player.trackUri).toBe(`spotify:track:${killers}`);
  });

  it("with no active device the room stops advancing, keeps its queue, tells the host and resumes on a device", async () => {
    const { dj, clock, host } = await room();
    await dj.addTrack(host, rick);
    await dj.addTrack(host, killers);
    spotify.activeDevice = false;
    await dj.start(host);
    let state = await stateOf(dj, host);
    expect(state.room.player.status).toBe("no_device");
    expect(state.room.player.message).toMatch(/Open Spotify/);
    for (let minute = 0; minute < 5; minute++) {
      clock.advance(61_000);
      await dj.checkDueRooms();
    }
    state = await stateOf(dj, host);
    expect(state.room.playback).toMatchObject({ phase: "playing", track: { id: rick } });
    expect(state.queue.map((e) => e.track.id)).toEqual([killers]);
    expect(state.history).toEqual([]);
    spotify.activeDevice = true;
    clock.advance(61_000);
    await dj.checkDueRooms();
    state = await stateOf(dj, host);
    expect(state.room.player.status).toBe("playing");
    expect(state.room.playback).toMatchObject({ track: { id: rick } });
    expect(spotify.player).toMatchObject({ trackUri: `spotify:track:${rick}`, isPlaying: true });
  });

  it("a free account stops the room with premium_required instead of draining the queue", async () => {
    const { dj, clock, host } = await room();
    await dj.addTrack(host, rick);
    await dj.addTrack(host, sheeran);
    spotify.premium = false;
    await dj.start(host);
    clock.advance(duration(rick) + 120_000);
    await dj.checkDueRooms();
    const state = await stateOf(dj, host);
    expect(state.room.player).toMatchObject({
      status: "premium_required",
      message: expect.stringMatching(/Premium/),
    });
    expect(state.queue.map((e) => e.track.id)).toEqual([sheeran]);
    expect(state.history).toEqual([]);
  });

  it("a room is checked once per song end however many instances ask", async () => {
    const { dj, clock, host } = await room();
    await dj.addTrack(host, rick);
    await dj.addTrack(host, killers);
    await dj.addTrack(host, sheeran);
    await dj.start(host);
    spotify.player.isPlaying = false;
    spotify.player.progressMs = duration(rick);
    clock.advance(duration(rick) + 5_000);
    const checked = await Promise.all(Array.from({ length: 8 }, () => dj.checkDueRooms()));
    expect(checked.reduce((a, b) => a + b, 0)).toBe(1);
    const state = await stateOf(dj, host);
    expect(state.room.playback).toMatchObject({ track: { id: killers } });
    expect(state.queue.map((e) => e.track.id)).toEqual([sheeran]);
  });

  it("searches and looks tracks up in the host's market (from /v1/me)", async () => {
    const { dj, host } = await room();
    expect(spotify.country).toBe("GB");
    expect(await dj.search(host, "blinding")).toEqual([]);
    await expect(dj.addTrack(host, usOnly)).rejects.toMatchObject({ code: "TRACK_NOT_FOUND" });
    expect((await dj.search(host, "killers")).map((t) => t.id)).toEqual([killers]);
    spotify.country = "US";
    const american = await room();
    expect((await american.dj.search(american.host, "blinding")).map((t) => t.id)).toEqual([usOnly]);
    expect((await american.dj.addTrack(american.host, usOnly)).outcome).toBe("added");
  });
});

describe("Spotify tokens across instances: shared backoff, coordinated refresh", () => {
  let spotify: FakeSpotify;
  beforeEach(async () => {
    spotify = await startFakeSpotify();
  });
  afterEach(() => spotify.close());

  const instance = (
    tokens: ReturnType<typeof createMemoryHostTokenStore>,
    cipher: ReturnType<typeof createAesGcmTokenCipher>,
  ) =>
    createSpotifyPlaybackController({
      clientId: spotify.clientId,
      clientSecret: spotify.clientSecret,
      accountsBaseUrl: spotify.accountsBaseUrl,
      apiBaseUrl: spotify.apiBaseUrl,
      redirectUri: "http://127.0.0.1/spotify/callback",
      tokens,
      cipher,
    });

  it("a 429 with a long Retry-After holds every request of that host until it passes", async () => {
    const player = instance(createMemoryHostTokenStore(), createAesGcmTokenCipher(randomBytes(32)));
    await player.connect("host-1", spotify.issueAuthorizationCode());
    spotify.rateLimitNext(30);
    const first = await player.currentlyPlaying("host-1").catch((e: unknown) => e);
    expect(first).toMatchObject({ code: "PROVIDER_RATE_LIMITED", retryAfterSeconds: 30 });
    const sent = spotify.log.length;
    const second = await player.play("host-1", rick).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: "PROVIDER_RATE_LIMITED" });
    expect((second as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(25);
    expect(spotify.log.length).toBe(sent); // nothing sent while backing off
  });

  it("a rotated refresh token racing across two instances: both calls succeed, one refresh wins, nothing deleted", async () => {
    const tokens = createMemoryHostTokenStore();
    const cipher = createAesGcmTokenCipher(randomBytes(32));
    const a = instance(tokens, cipher);
    const b = instance(tokens, cipher);
    await a.connect("host-1", spotify.issueAuthorizationCode());
    spotify.player.trackUri = `spotify:track:${rick}`;
    spotify.player.isPlaying = true;
    spotify.expireAccessTokens();
    const [fromA, fromB] = await Promise.all([a.currentlyPlaying("host-1"), b.currentlyPlaying("host-1")]);
    expect(fromA?.trackId).toBe(rick);
    expect(fromB?.trackId).toBe(rick);
    expect(await a.isConnected("host-1")).toBe(true);
    // Spotify rotated on each accepted refresh; the stored refresh token is the one it accepts now.
    const stored = JSON.parse(await cipher.decrypt(tokens.raw().get("host-1")!.ciphertext));
    expect(stored.refreshToken).toBe(spotify.refreshTokens.at(-1));
    expect(spotify.tokenRequests("refresh_token").length).toBeGreaterThanOrEqual(1);
    // And it keeps working from either instance afterwards.
    spotify.expireAccessTokens();
    expect((await b.currentlyPlaying("host-1"))?.trackId).toBe(rick);
    expect((await a.currentlyPlaying("host-1"))?.trackId).toBe(rick);
  });

  it("invalid_grant deletes only the version it read", async () => {
    const tokens = createMemoryHostTokenStore();
    const cipher = createAesGcmTokenCipher(randomBytes(32));
    const a = instance(tokens, cipher);
    await a.connect("host-1", spotify.issueAuthorizationCode());
    spotify.expireAccessTokens();
    spotify.revokeRefreshToken(spotify.refreshTokens.at(-1)!);
    // The host reconnects (a new version) while instance A's refresh is refused.
    const reconnect = a.connect("host-1", spotify.issueAuthorizationCode());
    const refused = a.currentlyPlaying("host-1").catch((e: unknown) => e);
    await reconnect;
    await refused;
    expect(await a.isConnected("host-1")).toBe(true);
  });
});

describe("a 429 backoff shared across instances", () => {
  let spotify: FakeSpotify;
  beforeEach(async () => {
    spotify = await startFakeSpotify();
  });
  afterEach(() => spotify.close());

  it("instance B waits out the Retry-After instance A was given, without calling Spotify", async () => {
    const tokens = createMemoryHostTokenStore();
    const cipher = createAesGcmTokenCipher(randomBytes(32));
    const make = () =>
      createSpotifyPlaybackController({
        clientId: spotify.clientId,
        clientSecret: spotify.clientSecret,
        accountsBaseUrl: spotify.accountsBaseUrl,
        apiBaseUrl: spotify.apiBaseUrl,
        redirectUri: "http://127.0.0.1/spotify/callback",
        tokens,
        cipher,
      });
    const a = make();
    const b = make();
    await a.connect("host-1", spotify.issueAuthorizationCode());
    spotify.rateLimitNext(40);
    await expect(a.currentlyPlaying("host-1")).rejects.toMatchObject({
      code: "PROVIDER_RATE_LIMITED",
      retryAfterSeconds: 40,
    });
    const sent = spotify.log.length;
    const fromB = await b.play("host-1", rick).catch((e: unknown) => e);
    expect(fromB).toMatchObject({ code: "PROVIDER_RATE_LIMITED" });
    expect((fromB as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(35);
    expect(spotify.log.length).toBe(sent);
  });
});
