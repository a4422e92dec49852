import { randomBytes } from "node:crypto";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { uniqueName } from "#test-support";
import {
  type ApiGatewayWebSocketStandIn,
  startApiGatewayWebSocketStandIn,
} from "../../../packages/adapters-aws/test/dj-room/api-gateway-websocket-stand-in.js";
import {
  type FakeSpotify,
  fakeCatalog,
  startFakeSpotify,
} from "../../../packages/dj-room/test/spotify/fake-spotify.js";
import type { HttpEventV2, HttpResultV2 } from "../src/lambda-adapter.js";
import { httpEvent } from "./support/http-event.js";

/**
 * Three Lambda functions as deployed: the HTTP API, the WebSocket routes and the scheduled
 * playback checks, sharing only DynamoDB, the WebSocket API (stand-in) and Spotify (stand-in).
 */
let http: (event: HttpEventV2) => Promise<HttpResultV2>;
let playback: () => Promise<{ checked: number }>;
let gateway: ApiGatewayWebSocketStandIn;
let spotify: FakeSpotify;
const saved: Record<string, string | undefined> = {};

const json = (result: HttpResultV2) => JSON.parse(result.body ?? "null");
const cookiesOf = (result: HttpResultV2, previous: string[] = []) => [
  ...previous,
  ...(result.cookies ?? []).map((c) => c.split(";")[0]!),
];

/** A host signed in, with Spotify connected through the OAuth routes, and a room open. */
async function hostWithRoom() {
  let cookies = cookiesOf(await http(httpEvent("POST", "/dj/host-login", { body: { name: "DJ" } })));
  const login = await http(httpEvent("GET", "/spotify/login", { cookies }));
  const state = new URL(login.headers!.location as string).searchParams.get("state")!;
  cookies = cookiesOf(login, cookies);
  const callback = await http(
    httpEvent(
      "GET",
      `/spotify/callback?code=${spotify.issueAuthorizationCode()}&state=${encodeURIComponent(state)}`,
      {
        cookies,
      },
    ),
  );
  expect(callback.statusCode).toBeLessThan(400);
  const opened = json(await http(httpEvent("POST", "/rooms", { cookies, body: { name: "Lambda party" } })));
  return { room: opened.room, token: opened.token as string };
}

describe("dj-room on Lambda: live over the WebSocket API, playback on a schedule", () => {
  beforeAll(async () => {
    spotify = await startFakeSpotify();
    gateway = await startApiGatewayWebSocketStandIn({});
    const env = {
      DYNAMODB_TABLES_USERID: uniqueName("lambda-dj-live"),
      DJ_ROOM_SESSION_SECRET: "lambda-dj-live-session-secret-0123456789",
      DJ_ROOM_WEBSOCKET_URL: gateway.webSocketUrl,
      DJ_ROOM_WEBSOCKET_ENDPOINT: gateway.managementEndpoint,
      SPOTIFY_CLIENT_ID: spotify.clientId,
      SPOTIFY_CLIENT_SECRET: spotify.clientSecret,
      SPOTIFY_REDIRECT_URI: "https://api.example.com/spotify/callback",
      SPOTIFY_TOKEN_KEY: randomBytes(32).toString("base64"),
      SPOTIFY_ACCOUNTS_URL: spotify.accountsBaseUrl,
      SPOTIFY_API_URL: spotify.apiBaseUrl,
      LOG_LEVEL: "silent",
      EVENT_BUS_NAME: "default",
    };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    http = (await import("../src/dj-room.js")).handler;
    playback = (await import("../src/dj-room-playback.js")).handler;
    const { handler: routes } = await import("../src/dj-room-websocket.js");
    const route = async (event: unknown) => {
      const result = await routes(event as APIGatewayProxyWebsocketEventV2);
      return typeof result === "object"
        ? { statusCode: result.statusCode ?? 200, ...(result.body ? { body: result.body } : {}) }
        : { statusCode: 200 };
    };
    gateway.setRoutes({ $connect: route, $disconnect: route, $default: route });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await gateway.close();
    await spotify.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("names the WebSocket API in the state, and a vote through the HTTP function reaches the socket", async () => {
    const { room, token: hostToken } = await hostWithRoom();
    const guest = json(
      await http(httpEvent("POST", `/rooms/${room.code}/guests`, { body: { name: "Ada" } })),
    );
    const state = json(await http(httpEvent("GET", `/rooms/${room.code}/state`, { token: guest.token })));
    expect(state.live).toEqual({ transport: "websocket", url: gateway.webSocketUrl });

    const socket = new WebSocket(`${state.live.url}?token=${encodeURIComponent(guest.token)}`);
    const messages: Record<string, unknown>[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      socket.on("open", resolve);
      socket.on("error", reject);
    });
    socket.send(JSON.stringify({ action: "hello" }));
    await expect
      .poll(() => messages.find((m) => m.type === "ready"))
      .toMatchObject({ version: state.version });

    const added = json(
      await http(
        httpEvent("POST", `/rooms/${room.code}/queue`, {
          token: hostToken,
          body: { trackId: fakeCatalog[1]!.id },
        }),
      ),
    );
    await http(
      httpEvent("PUT", `/rooms/${room.code}/queue/${added.entry.id}/vote`, {
        token: guest.token,
        body: { value: 1 },
      }),
    );
    await expect
      .poll(() => messages.find((m) => m.type === "votes.changed"))
      .toMatchObject({ data: { entryId: added.entry.id }, version: expect.any(Number) });
    socket.close();
  });

  it("advances playback from the scheduled function alone, once per song end", async () => {
    const { room, token } = await hostWithRoom();
    const [first, second] = fakeCatalog as [(typeof fakeCatalog)[number], (typeof fakeCatalog)[number]];
    for (const track of [first, second]) {
      await http(httpEvent("POST", `/rooms/${room.code}/queue`, { token, body: { trackId: track.id } }));
    }
    await http(httpEvent("POST", `/rooms/${room.code}/playback/start`, { token }));
    expect(spotify.player.trackUri).toBe(first.uri);
    // Nothing is due yet.
    expect((await playback()).checked).toBe(0);
    // The song ends on the host's player; the clock passes its end.
    spotify.player.isPlaying = false;
    spotify.player.progressMs = first.duration_ms;
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + first.duration_ms + 5_000 });
    const runs = await Promise.all([playback(), playback(), playback()]);
    vi.useRealTimers();
    expect(runs.reduce((sum, run) => sum + run.checked, 0)).toBeGreaterThanOrEqual(1);
    expect(spotify.player.trackUri).toBe(second.uri);
    const state = json(await http(httpEvent("GET", `/rooms/${room.code}/state`, { token })));
    expect(state.room.playback).toMatchObject({ phase: "playing", track: { id: second.id } });
    expect(state.history.map((h: { track: { id: string } }) => h.track.id)).toEqual([first.id]);
  });
});
