import { djRoomConfigSchema } from "@portside/service-kit/dj-room";
import { loadConfig } from "@portside-examples/services";
import { describe, expect, it } from "vitest";
import { createDjRoomService } from "../src/dj-room.js";

const base = "http://dj.test";

async function compose(env: Record<string, string> = {}) {
  const service = await createDjRoomService(loadConfig({ LOG_LEVEL: "silent", ...env }));
  let cookie = "";
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = { cookie };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await service.handler(
      new Request(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) cookie = setCookie.split(";")[0]!;
    return response;
  };
  return { service, call };
}

describe("dj-room service (embedded defaults)", () => {
  it("reports memory store, demo catalog and player, and SSE events", async () => {
    const { service } = await compose();
    expect(service.adapters).toEqual({
      store: "memory",
      catalog: "demo catalog",
      player: "demo player",
      events: "in-process (SSE)",
      hosts: "demo sign-in (/dj/host-login)",
      page: "/dj",
    });
  });

  it("serves the web page at /dj", async () => {
    const { call } = await compose();
    const response = await call("GET", "/dj");
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('id="join-code"');
    expect(html).toContain('src="/dj/page/app.js"');
    expect(await (await call("GET", "/dj/page/live.js")).text()).toContain("EventSource");
    expect((await call("POST", "/dj")).status).toBe(405);
  });

  it("signs a demo host in with a cookie, who opens a room guests can join and fill from the demo catalog", async () => {
    const { call } = await compose();
    expect((await call("POST", "/rooms", {})).status).toBe(401);
    const login = await call("POST", "/dj/host-login", { name: "DJ" });
    expect(login.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
    const opened = await call("POST", "/rooms", { hostName: "DJ" });
    expect(opened.status).toBe(201);
    const { room, token } = (await opened.json()) as { room: { code: string }; token: string };
    const joined = (await (await call("POST", `/rooms/${room.code}/guests`, { name: "Ada" })).json()) as {
      token: string;
    };
    const search = (await (
      await call("GET", `/rooms/${room.code}/search?q=harbour`, undefined, joined.token)
    ).json()) as {
      tracks: { id: string }[];
    };
    expect(search.tracks[0]?.id).toBe("demo-01");
    expect(
      (await call("POST", `/rooms/${room.code}/queue`, { trackId: "demo-01" }, joined.token)).status,
    ).toBe(201);
    const started = await call("POST", `/rooms/${room.code}/playback/start`, {}, token);
    expect(await started.json()).toMatchObject({ playback: { phase: "playing", track: { id: "demo-01" } } });
  });

  it("answers Spotify routes with 404 when Spotify is not configured", async () => {
    const { call } = await compose();
    await call("POST", "/dj/host-login", { name: "DJ" });
    const response = await call("GET", "/spotify/login");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_configured" } });
  });

  it("does not stream events when composed for Lambda", async () => {
    const service = await createDjRoomService(loadConfig({ LOG_LEVEL: "silent" }), { streamEvents: false });
    const host = await service.handler(new Request(`${base}/dj/host-login`, { method: "POST", body: "{}" }));
    const cookie = host.headers.get("set-cookie")!.split(";")[0]!;
    const opened = (await (
      await service.handler(new Request(`${base}/rooms`, { method: "POST", headers: { cookie } }))
    ).json()) as { room: { code: string }; token: string };
    const events = await service.handler(
      new Request(`${base}/rooms/${opened.room.code}/events?token=${opened.token}`),
    );
    expect(events.status).toBe(501);
  });

  it("refuses a half-configured Spotify, naming the missing keys", async () => {
    await expect(compose({ SPOTIFY_CLIENT_ID: "id" })).rejects.toThrow(
      /SPOTIFY_CLIENT_SECRET, SPOTIFY_REDIRECT_URI, SPOTIFY_TOKEN_KEY/,
    );
    expect(djRoomConfigSchema.safeParse({ SPOTIFY_TOKEN_KEY: "c2hvcnQ=" }).success).toBe(false);
    expect(djRoomConfigSchema.safeParse({ DJ_ROOM_SESSION_SECRET: "short" }).success).toBe(false);
  });
});
