import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSpotify, startFakeSpotify } from "../../../packages/dj-room/test/spotify/fake-spotify.js";
import {
  accessibilityProblems,
  eventually,
  openRoom,
  type RunningRoomServer,
  screenshot,
  startDjRoomServer,
  useBrowser,
} from "./dj-room-browser-support.js";

const NEVER = "4uLU6hMCjMI75M1A2tKUQC";

/**
 * The host's real player (the local Spotify stand-in) pauses, loses its device, or belongs to a
 * free account: every screen says so, and the host is told what to do.
 */
describe("dj-room page follows the host's player", () => {
  let spotify: FakeSpotify;
  let server: RunningRoomServer;
  const browser = useBrowser();

  beforeAll(async () => {
    spotify = await startFakeSpotify();
    server = await startDjRoomServer({
      SPOTIFY_CLIENT_ID: spotify.clientId,
      SPOTIFY_CLIENT_SECRET: spotify.clientSecret,
      SPOTIFY_REDIRECT_URI: "http://127.0.0.1/spotify/callback",
      SPOTIFY_TOKEN_KEY: randomBytes(32).toString("base64"),
      SPOTIFY_ACCOUNTS_URL: spotify.accountsBaseUrl,
      SPOTIFY_API_URL: spotify.apiBaseUrl,
    });
  });

  afterAll(async () => {
    await server?.close();
    await spotify?.close();
  });

  const visit = (screen: "phone" | "desktop", path = "/dj") => browser.open(screen, `${server.url}${path}`);

  /** Asks the server to read the player now, as room activity or the scheduled check would. */
  const checkPlayer = (host: Page, code: string) =>
    host.evaluate(async (room) => {
      const { token } = JSON.parse(localStorage.getItem("portside-dj-sessions")!).rooms[room];
      const response = await fetch(`/rooms/${room}/playback/sync`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`sync answered ${response.status}`);
    }, code);

  it("shows paused, no device and no Premium, and tells the host what to do", async () => {
    const host = await visit("desktop");
    const code = await openRoom(host);

    // "Connect Spotify", then Spotify's consent screen approving at once (its redirect back to us,
    // with this browser's cookies: the nonce the login set is checked against the state).
    expect(await host.getAttribute("#spotify-link", "href")).toBe("/spotify/login");
    const login = await host.request.get(`${server.url}/spotify/login`, { maxRedirects: 0 });
    const state = new URL(login.headers().location!).searchParams.get("state")!;
    await host.goto(
      `${server.url}/spotify/callback?code=${spotify.issueAuthorizationCode()}&state=${encodeURIComponent(state)}`,
    );
    await eventually(() => host.textContent("#room-code")).toBe(code);
    await eventually(() => host.isVisible("#spotify-link")).toBe(false);

    const ada = await visit("phone", `/dj/${code}`);
    await ada.fill("#join-name", "Ada");
    await ada.press("#join-name", "Enter");
    await ada.fill("#search-input", "never gonna");
    await ada.click(`#results li[data-track-id="${NEVER}"] button.add`);
    await eventually(() => host.locator(`#queue li[data-track-id="${NEVER}"]`).count()).toBe(1);
    await host.click("#start-btn");
    await eventually(() => ada.textContent("#now-playing")).toBe("Never Gonna Give You Up");
    expect(spotify.player.isPlaying).toBe(true);

    // Paused on the phone's Spotify app: the room shows it and stays on the song.
    spotify.player.isPlaying = false;
    spotify.player.progressMs = 61_000;
    await checkPlayer(host, code);
    await eventually(() => ada.getAttribute("#phase", "data-phase")).toBe("paused");
    expect(await ada.textContent("#phase")).toBe("Paused");
    expect(await ada.textContent("#now-playing")).toBe("Never Gonna Give You Up");
    await eventually(() => ada.textContent("#times span:first-child")).toBe("1:01");
    await screenshot(ada, "phone-guest-paused");

    // The device goes away: the host is told what to do, guests that the player is waiting.
    spotify.activeDevice = false;
    await checkPlayer(host, code);
    await eventually(() => host.isVisible('#notices [data-kind="player"]')).toBe(true);
    expect(await host.textContent('#notices [data-kind="player"]')).toContain("Open Spotify");
    await eventually(() => ada.textContent('#notices [data-kind="player"]')).toContain(
      "Waiting for the host's player",
    );
    expect(await accessibilityProblems(host)).toEqual([]);
    await screenshot(host, "desktop-host-no-device");

    // A free account cannot be driven at all.
    spotify.activeDevice = true;
    spotify.premium = false;
    await checkPlayer(host, code);
    await eventually(() => host.textContent('#notices [data-kind="player"]')).toContain("Premium");
  }, 120_000);
});
