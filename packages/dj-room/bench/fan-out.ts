// Fan-out latency: from a vote to each of N browsers connected through an API Gateway WebSocket
// API (the local stand-in), with two instances sharing one DynamoDB table. Votes alternate between
// the instances; connections were accepted by either. Latency is measured per listener per vote.
import { randomUUID } from "node:crypto";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDjRoom, createMemoryCatalog, createSessionTokens, type RoomEvent } from "@portside/dj-room";
import { WebSocket } from "ws";
import {
  createDynamoConnectionStore,
  createDynamoRoomStore,
  createWebSocketRoomEvents,
  createWebSocketRoutes,
} from "../../adapters-aws/src/dj-room/index.js";
import { startApiGatewayWebSocketStandIn } from "../../adapters-aws/test/dj-room/api-gateway-websocket-stand-in.js";

export interface FanOutResult {
  listeners: number;
  votes: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function fanOutLatency(
  client: DynamoDBClient,
  tableName: string,
  listeners: number,
  votes: number,
): Promise<FanOutResult> {
  const gateway = await startApiGatewayWebSocketStandIn({});
  const instance = () => {
    const connections = createDynamoConnectionStore({ client, tableName });
    const management = new ApiGatewayManagementApiClient({
      endpoint: gateway.managementEndpoint,
      // One post per listener per event: let them all be in flight (the SDK default is 50 sockets).
      requestHandler: {
        httpAgent: { keepAlive: true, maxSockets: 512 },
        httpsAgent: { keepAlive: true, maxSockets: 512 },
      },
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const dj = createDjRoom({
      store: createDynamoRoomStore({ client, tableName }),
      provider: createMemoryCatalog(),
      tokens: createSessionTokens({ secret: "fan-out-bench-secret-fan-out-bench-secret" }),
      events: createWebSocketRoomEvents({ connections, client: management }),
    });
    return { dj, routes: createWebSocketRoutes({ dj, connections, client: management }) };
  };
  const instances = [instance(), instance()];
  let next = 0;
  const route = (event: Parameters<(typeof instances)[0]["routes"]>[0]) =>
    instances[next++ % 2]!.routes(event);
  gateway.setRoutes({ $connect: route, $disconnect: route, $default: route });

  const sockets: WebSocket[] = [];
  try {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const host = await a.dj.openRoom(`bench-host-${randomUUID()}`, {});
    const hostSession = await a.dj.authenticate(host.token);
    const { entry } = await a.dj.addTrack(hostSession, "demo-01");
    const arrivals = new Map<number, number[]>();
    const guests = [];
    for (let i = 0; i < listeners; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, listeners - i) }, (_, j) =>
          a.dj.joinRoom(host.room.code, { name: `listener ${i + j}` }),
        ),
      );
      guests.push(...batch);
    }
    for (let i = 0; i < guests.length; i += 50) {
      await Promise.all(
        guests.slice(i, i + 50).map(
          (guest) =>
            new Promise<void>((resolve, reject) => {
              const socket = new WebSocket(
                `${gateway.webSocketUrl}?token=${encodeURIComponent(guest.token)}`,
              );
              socket.on("open", () => resolve());
              socket.on("error", reject);
              socket.on("message", (data) => {
                const event = JSON.parse(data.toString()) as RoomEvent;
                if (event.type !== "votes.changed") return;
                const list = arrivals.get(event.version) ?? [];
                list.push(performance.now());
                arrivals.set(event.version, list);
              });
              sockets.push(socket);
            }),
        ),
      );
    }
    const voters = await Promise.all(
      guests.slice(0, votes).map((g, i) => (i % 2 === 0 ? a : b).dj.authenticate(g.token)),
    );
    const latencies: number[] = [];
    for (let i = 0; i < votes; i++) {
      const through = i % 2 === 0 ? a : b;
      const before = await through.dj.roomVersion(host.room.id);
      const started = performance.now();
      await through.dj.vote(voters[i]!, entry.id, 1);
      // The vote's event is the first version after `before`; wait until every listener has it.
      const deadline = Date.now() + 30_000;
      let received: number[] = [];
      while (Date.now() < deadline) {
        received = [...arrivals.entries()].filter(([v]) => v > before).flatMap(([, times]) => times);
        if (received.length >= listeners) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(...received.map((t) => t - started));
      arrivals.clear();
    }
    latencies.sort((x, y) => x - y);
    return {
      listeners,
      votes,
      deliveries: latencies.length,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await gateway.close();
  }
}
