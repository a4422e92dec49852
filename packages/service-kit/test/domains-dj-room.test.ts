import {
  composeDjRoom,
  createDjRoomWebSocketHandler,
  type DjRoomConfig,
  djRoomConfigSchema,
} from "@portside/service-kit/dj-room";
import { describe, expect, it } from "vitest";
import { awsEndpoint, uniqueName } from "#test-support";
import { InvalidConfigError } from "../src/errors.js";
import { parseDomainConfig } from "../src/runtime/service-config.js";

const SECRET = "kit-dj-room-session-secret-0123456789";

function config(env: Record<string, string> = {}): DjRoomConfig {
  return parseDomainConfig({ configSchema: djRoomConfigSchema }, { LOG_LEVEL: "silent", ...env });
}

/** dj-room as one Lambda function sees it: AWS_LAMBDA_FUNCTION_NAME set, rooms on DynamoDB (the test engine). */
const onLambda = () =>
  config({
    AWS_LAMBDA_FUNCTION_NAME: "dj-room-http",
    DYNAMODB_TABLES_USERID: uniqueName("kit-dj-lambda"),
    DJ_ROOM_SESSION_SECRET: SECRET,
    AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
    AWS_ENDPOINT_URL: awsEndpoint(),
    AWS_ENDPOINT_URL_DYNAMODB: awsEndpoint("dynamodb"),
  });

async function openRoom(handler: (request: Request) => Promise<Response>) {
  const login = await handler(
    new Request("https://dj.test/dj/host-login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "DJ" }),
    }),
  );
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const opened = await handler(
    new Request("https://dj.test/rooms", {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "Party" }),
    }),
  );
  expect(opened.status).toBe(201);
  return (await opened.json()) as { room: { code: string }; token: string };
}

describe("dj-room's event stream", () => {
  it("is off by default on Lambda, whose buffered response would never end: 501, not a hang", async () => {
    const room = await composeDjRoom(onLambda());
    const { room: opened, token } = await openRoom(room.handler);
    const events = await room.handler(
      new Request(`https://dj.test/rooms/${opened.code}/events?token=${token}`),
    );
    expect(events.status).toBe(501);
    await room.close?.();
  });

  it("is on by default elsewhere, and on Lambda when asked for", async () => {
    for (const composed of [
      await composeDjRoom(config()),
      await composeDjRoom(onLambda(), { streamEvents: true }),
    ]) {
      const { room, token } = await openRoom(composed.handler);
      const controller = new AbortController();
      const events = await composed.handler(
        new Request(`https://dj.test/rooms/${room.code}/events?token=${token}`, {
          signal: controller.signal,
        }),
      );
      expect(events.status).toBe(200);
      expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
      controller.abort();
      await events.body?.cancel();
      await composed.close?.();
    }
  });
});

describe("dj-room's demo covers", () => {
  it("answers HEAD as GET, without the body", async () => {
    const room = await composeDjRoom(config());
    const get = await room.handler(new Request("https://dj.test/dj/art/demo-01.svg"));
    const head = await room.handler(new Request("https://dj.test/dj/art/demo-01.svg", { method: "HEAD" }));
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("image/svg+xml");
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(await head.text()).toBe("");
    expect(await get.text()).toMatch(/^<svg/);
  });
});

describe("dj-room's configuration errors are InvalidConfigError, naming the keys", () => {
  it("a half-configured Spotify", async () => {
    const error = await composeDjRoom(config({ SPOTIFY_CLIENT_ID: "id" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).message).toMatch(
      /SPOTIFY_CLIENT_ID is set, so these are required too: SPOTIFY_CLIENT_SECRET, SPOTIFY_REDIRECT_URI, SPOTIFY_TOKEN_KEY/,
    );
  });

  it("the WebSocket routes without their API", async () => {
    const error = await createDjRoomWebSocketHandler(config()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).issues.map((i) => i.key)).toEqual([
      "DYNAMODB_TABLES_USERID",
      "DJ_ROOM_WEBSOCKET_URL",
    ]);
    expect((error as Error).message).toMatch(
      /The WebSocket routes need DYNAMODB_TABLES_USERID and DJ_ROOM_WEBSOCKET_URL/,
    );
  });
});
