import { randomBytes } from "node:crypto";
import { loadConfig } from "@portside-examples/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSpotify, startFakeSpotify } from "../../../packages/dj-room/test/spotify/fake-spotify.js";
import { createDjRoomService } from "../src/dj-room.js";

const base = "http://dj.test";

describe("dj-room service with Spotify (against a local Spotify-speaking server)", () => {
  let spotify: FakeSpotify;
  beforeAll(async () => {
    spotify = await startFakeSpotify();
  });
  afterAll(() => spotify.close());

  const compose = () =>
    createDjRoomService(
      loadConfig({
        LOG_LEVEL: "silent",
        SPOTIFY_CLIENT_ID: spotify.clientId,
        SPOTIFY_CLIENT_SECRET: spotify.clientSecret,
        SPOTIFY_REDIRECT_URI: `${base}/spotify/callback`,
        SPOTIFY_TOKEN_KEY: randomBytes(32).toString("base64"),
        SPOTIFY_ACCOUNTS_URL: spotify.accountsBaseUrl,
        SPOTIFY_API_URL: spotify.apiBaseUrl,
      }),
    );

  async function signIn(service: Awaited<ReturnType<typeof compose>>, name: string) {
    const response = await service.handler(
      new Request(`${base}/dj/host-login`, { method: "POST", body: JSON.stringify({ name }) }),
    );
    return response.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("connects a host's player only from the browser session that started the flow", async () => {
    const service = await compose();
    expect(service.adapters).toMatchObject({ catalog: "spotify", player: "spotify" });
    const host = await signIn(service, "DJ");
    const login = await service.handler(new Request(`${base}/spotify/login`, { headers: { cookie: host } }));
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get("location")!);
    expect(authorize.origin).toBe(spotify.accountsBaseUrl);
    const state = authorize.searchParams.get("state")!;
    const nonceCookie = login.headers.get("set-cookie")!.split(";")[0]!;
    expect(login.headers.get("set-cookie")).toMatch(/HttpOnly/);

    const callback = (cookie: string) =>
      service.handler(
        new Request(
          `${base}/spotify/callback?code=${spotify.issueAuthorizationCode()}&state=${encodeURIComponent(state)}`,
          {
            headers: { cookie },
          },
        ),
      );
    // The same host in another browser session (no nonce cookie), and another host with the nonce.
    expect((await callback(host)).status).toBe(403);
    const intruder = await signIn(service, "Mallory");
    expect((await callback(`${intruder}; ${nonceCookie}`)).status).toBe(403);
    const status = () =>
      service.handler(new Request(`${base}/spotify/status`, { headers: { cookie: host } }));
    expect(await (await status()).json()).toEqual({ connected: false });

    const accepted = await callback(`${host}; ${nonceCookie}`);
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/dj");
    expect(await (await status()).json()).toEqual({ connected: true });
  });

  it("queues Spotify tracks with metadata from Spotify and plays them on the host's player", async () => {
    const service = await compose();
    const host = await signIn(service, "DJ");
    const login = await service.handler(new Request(`${base}/spotify/login`, { headers: { cookie: host } }));
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    const nonce = login.headers.get("set-cookie")!.split(";")[0]!;
    await service.handler(
      new Request(
        `${base}/spotify/callback?code=${spotify.issueAuthorizationCode()}&state=${encodeURIComponent(state)}`,
        {
          headers: { cookie: `${host}; ${nonce}` },
        },
      ),
    );
    const opened = (await (
      await service.handler(new Request(`${base}/rooms`, { method: "POST", headers: { cookie: host } }))
    ).json()) as { room: { code: string }; token: string };
    const auth = { authorization: `Bearer ${opened.token}`, "content-type": "application/json" };
    const added = await service.handler(
      new Request(`${base}/rooms/${opened.room.code}/queue`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ trackId: "3n3Ppam7vgaVa1iaRUc9Lp" }),
      }),
    );
    expect(await added.json()).toMatchObject({
      entry: { track: { title: "Mr. Brightside", provider: "spotify" } },
    });
    await service.handler(
      new Request(`${base}/rooms/${opened.room.code}/playback/start`, { method: "POST", headers: auth }),
    );
    expect(spotify.player.trackUri).toBe("spotify:track:3n3Ppam7vgaVa1iaRUc9Lp");
  });
});
