import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  createDynamoConnectionStore,
  createDynamoRoomStore,
  createWebSocketRoomEvents,
  createWebSocketRoutes,
  djRoomTableDefinitions,
} from "@portside/adapters-aws/dj-room";
import { createTables, deleteTables, tableNames } from "@portside/adapters-aws/dynamodb";
import {
  createDjRoom,
  createMemoryCatalog,
  createMemoryPlayer,
  createSessionTokens,
  type RoomEvent,
} from "@portside/dj-room";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { awsClientConfig, uniqueName } from "#test-support";
import {
  type ApiGatewayWebSocketStandIn,
  startApiGatewayWebSocketStandIn,
} from "./api-gateway-websocket-stand-in.js";

const dynamo = new DynamoDBClient(awsClientConfig("dynamodb"));
const prefix = uniqueName("dj-live");
const { rooms } = tableNames(prefix);
const secret = "websocket-live-secret-websocket-live-secret";

/** One server instance: its own DjRoom over the shared table, posting to the shared WebSocket API. */
function instance(gateway: ApiGatewayWebSocketStandIn) {
  const connections = createDynamoConnectionStore({ client: dynamo, tableName: rooms });
  const client = new ApiGatewayManagementApiClient({
    ...awsClientConfig("dynamodb"),
    endpoint: gateway.managementEndpoint,
  });
  const catalog = createMemoryCatalog();
  const dj = createDjRoom({
    store: createDynamoRoomStore({ client: dynamo, tableName: rooms }),
    provider: catalog,
    player: createMemoryPlayer({ catalog }),
    tokens: createSessionTokens({ secret }),
    events: createWebSocketRoomEvents({ connections, client }),
    onSideEffectError: (error) => {
      throw error;
    },
  });
  return { dj, connections, client, routes: createWebSocketRoutes({ dj, connections, client }) };
}

interface Listener {
  socket: WebSocket;
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

function listen(url: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const received: Record<string, unknown>[] = [];
    const waiters: {
      predicate: (m: Record<string, unknown>) => boolean;
      resolve: (m: Record<string, unknown>) => void;
    }[] = [];
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      received.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    const closed = new Promise<number>((done) => socket.on("close", (code) => done(code)));
    socket.on("unexpected-response", (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    socket.on("error", reject);
    socket.on("open", () =>
      resolve({
        socket,
        closed,
        next: (predicate) => {
          const seen = received.find(predicate);
          if (seen) return Promise.resolve(seen);
          return new Promise((done) => waiters.push({ predicate, resolve: done }));
        },
      }),
    );
  });
}

describe("live room events through an API Gateway WebSocket API", () => {
  let gateway: ApiGatewayWebSocketStandIn;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  beforeAll(async () => {
    await createTables(dynamo, djRoomTableDefinitions(prefix));
    gateway = await startApiGatewayWebSocketStandIn({});
    a = instance(gateway);
    b = instance(gateway);
    // The WebSocket API's routes integrate with instance A (a Lambda, or an HTTP integration).
    gateway.setRoutes({ $connect: a.routes, $disconnect: a.routes, $default: a.routes });
  });
  afterAll(async () => {
    await gateway.close();
    await deleteTables(dynamo, [rooms]);
  });

  const openRoom = async () => {
    const host = await a.dj.openRoom(uniqueName("host"), {});
    const guest = await a.dj.joinRoom(host.room.code, { name: "Ada" });
    return { host, guest };
  };

  it("delivers a vote made through instance B to a listener attached through instance A", async () => {
    const { host, guest } = await openRoom();
    const listener = await listen(`${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`);
    listener.socket.send(JSON.stringify({ action: "hello" }));
    const ready = await listener.next((m) => m.type === "ready");
    expect(ready).toMatchObject({ roomId: host.room.id, version: expect.any(Number) });

    const hostSession = await b.dj.authenticate(host.token);
    const { entry } = await b.dj.addTrack(hostSession, "demo-05");
    await b.dj.vote(await b.dj.authenticate(guest.token), entry.id, 1);
    const voted = (await listener.next((m) => m.type === "votes.changed")) as unknown as RoomEvent;
    expect(voted).toMatchObject({ roomId: host.room.id, data: { entryId: entry.id } });
    expect(voted.version).toBeGreaterThan(ready.version as number);
    // Resynchronising: the state read now includes the vote and carries its version.
    const state = await a.dj.getState(await a.dj.authenticate(guest.token));
    expect(state.version).toBeGreaterThanOrEqual(voted.version);
    expect(state.queue[0]).toMatchObject({ id: entry.id, up: 1, myVote: 1 });
    listener.socket.close();
  });

  it("answers ping with pong and refuses a connection without a valid token", async () => {
    const { guest } = await openRoom();
    const listener = await listen(`${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`);
    listener.socket.send(JSON.stringify({ action: "ping" }));
    expect(await listener.next((m) => m.type === "pong")).toEqual({ type: "pong" });
    listener.socket.close();
    await expect(listen(`${gateway.webSocketUrl}?token=forged`)).rejects.toThrow("refused 401");
    await expect(listen(gateway.webSocketUrl)).rejects.toThrow("refused 401");
  });

  it("forgets connections API Gateway reports gone, and the socket a $disconnect names", async () => {
    const { host, guest } = await openRoom();
    await a.connections.add({
      connectionId: "vanished=",
      roomId: host.room.id,
      guestId: guest.guest.id,
      connectedAt: Date.now(),
    });
    const listener = await listen(`${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`);
    await expect.poll(() => a.connections.listByRoom(host.room.id).then((c) => c.length)).toBe(2);
    await b.dj.addTrack(await b.dj.authenticate(host.token), "demo-06");
    await listener.next((m) => m.type === "queue.changed");
    expect((await a.connections.listByRoom(host.room.id)).map((c) => c.connectionId)).not.toContain(
      "vanished=",
    );
    listener.socket.close();
    await expect.poll(() => a.connections.listByRoom(host.room.id).then((c) => c.length)).toBe(0);
  });

  it("disconnects a banned guest after telling them, and refuses their reconnect", async () => {
    const { host, guest } = await openRoom();
    const listener = await listen(`${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`);
    await b.dj.banGuest(await b.dj.authenticate(host.token), guest.guest.id);
    expect(
      await listener.next((m) => (m.data as { banned?: boolean } | undefined)?.banned === true),
    ).toMatchObject({
      data: { guestId: guest.guest.id },
    });
    expect(await listener.closed).toBe(1000);
    await expect(listen(`${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`)).rejects.toThrow(
      "refused 403",
    );
  });
});
