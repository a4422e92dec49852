import { commonConfigSchema } from "@portside/service-kit";
import { createDjRoomWebSocketHandler, djRoomConfigSchema } from "@portside/service-kit/dj-room";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { uniqueName } from "#test-support";
import {
  type ApiGatewayWebSocketStandIn,
  startApiGatewayWebSocketStandIn,
} from "../../../packages/adapters-aws/test/dj-room/api-gateway-websocket-stand-in.js";
import { createDjRoomService } from "../src/dj-room.js";
import type { ComposedService } from "../src/service.js";

/** Two long-running instances behind a load balancer, one DynamoDB table, one WebSocket API. */
describe("dj-room on two instances: changes reach every browser through the WebSocket API", () => {
  let gateway: ApiGatewayWebSocketStandIn;
  let a: ComposedService;
  let b: ComposedService;

  beforeAll(async () => {
    gateway = await startApiGatewayWebSocketStandIn({});
    const config = commonConfigSchema.extend(djRoomConfigSchema.shape).parse({
      LOG_LEVEL: "silent",
      DYNAMODB_TABLES_USERID: uniqueName("dj-instances"),
      AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
      AWS_REGION: process.env.AWS_REGION,
      DJ_ROOM_SESSION_SECRET: "two-instances-session-secret-0123456789",
      DJ_ROOM_WEBSOCKET_URL: gateway.webSocketUrl,
      DJ_ROOM_WEBSOCKET_ENDPOINT: gateway.managementEndpoint,
    });
    [a, b] = await Promise.all([createDjRoomService(config), createDjRoomService(config)]);
    const routes = await createDjRoomWebSocketHandler(config);
    gateway.setRoutes({ $connect: routes, $disconnect: routes, $default: routes });
  });
  afterAll(() => gateway.close());

  const call = async (
    service: ComposedService,
    method: string,
    path: string,
    options: { token?: string; cookie?: string; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await service.handler(
      new Request(`http://dj.example${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  it("a vote through instance B reaches a browser that loaded the room from instance A", async () => {
    const login = await call(a, "POST", "/dj/host-login", { body: { name: "DJ" } });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const opened = await call(a, "POST", "/rooms", { cookie, body: { name: "Two instances" } });
    const { room, token: hostToken } = opened.body;
    const guest = (await call(b, "POST", `/rooms/${room.code}/guests`, { body: { name: "Ada" } })).body;

    const state = (await call(a, "GET", `/rooms/${room.code}/state`, { token: guest.token })).body;
    expect(state.live).toEqual({ transport: "websocket", url: gateway.webSocketUrl });
    const messages: Record<string, unknown>[] = [];
    const socket = new WebSocket(`${state.live.url}?token=${encodeURIComponent(guest.token)}`);
    socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      socket.on("open", resolve);
      socket.on("error", reject);
    });
    socket.send(JSON.stringify({ action: "hello" }));
    await expect
      .poll(() => messages.find((m) => m.type === "ready"))
      .toMatchObject({ version: state.version });

    const added = (
      await call(a, "POST", `/rooms/${room.code}/queue`, { token: hostToken, body: { trackId: "demo-04" } })
    ).body;
    await call(b, "PUT", `/rooms/${room.code}/queue/${added.entry.id}/vote`, {
      token: guest.token,
      body: { value: 1 },
    });
    await expect
      .poll(() => messages.find((m) => m.type === "votes.changed"))
      .toMatchObject({ data: { entryId: added.entry.id } });
    // Resynchronising from either instance gives the vote and a version past the event's.
    const event = messages.find((m) => m.type === "votes.changed") as { version: number };
    const after = (await call(a, "GET", `/rooms/${room.code}/state`, { token: guest.token })).body;
    expect(after.version).toBeGreaterThanOrEqual(event.version);
    expect(after.queue[0]).toMatchObject({ id: added.entry.id, up: 1, myVote: 1 });
    socket.close();
  });
});
