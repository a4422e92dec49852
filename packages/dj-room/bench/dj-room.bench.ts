// 1,000 concurrent voters on one room, through the room service, on the memory store and on
// DynamoDB (the dynoxide engine AWS_ENDPOINT_URL_DYNAMODB names). Prints operations/s per store and round,
// checks the final counts are exact, and writes bench/results/dj-room.json.
//   npm run bench:dj-room                 (1,000 voters)
//   DJ_BENCH_VOTERS=200 npm run bench:dj-room
// The "vs GetItem" column puts the DynamoDB figures against concurrent GetItems on the same engine.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  createDjRoom,
  createMemoryCatalog,
  createMemoryRoomStore,
  createSessionTokens,
  type RoomStore,
  type Session,
  type VoteValue,
} from "@portside/dj-room";
import { createDynamoRoomStore, djRoomTableDefinitions } from "../../adapters-aws/src/dj-room/index.js";
import { createTables, deleteTables } from "../../adapters-aws/src/dynamodb/index.js";
import { type FanOutResult, fanOutLatency } from "./fan-out.js";

const VOTERS = Number(process.env.DJ_BENCH_VOTERS ?? 1000);
const LISTENERS = Number(process.env.DJ_BENCH_LISTENERS ?? 500);
const FAN_OUT_VOTES = Number(process.env.DJ_BENCH_FAN_OUT_VOTES ?? 20);

interface Round {
  round: string;
  operations: number;
  seconds: number;
  opsPerSecond: number;
}
interface StoreResult {
  store: string;
  voters: number;
  rounds: Round[];
  expected: { up: number; down: number };
  actual: { up: number; down: number };
  exact: boolean;
}

async function run(label: string, store: RoomStore): Promise<StoreResult> {
  const catalog = createMemoryCatalog();
  const dj = createDjRoom({
    store,
    provider: catalog,
    tokens: createSessionTokens({ secret: "bench-secret-bench-secret-bench-secret" }),
  });
  const host = await dj.openRoom(`bench-host-${randomUUID()}`, {
    settings: { limits: { addsPerMinute: 600 } },
  });
  const hostSession = await dj.authenticate(host.token);
  const { entry } = await dj.addTrack(hostSession, "demo-01");
  const roomId = host.room.id;
  const now = Date.now();
  const sessions: Session[] = Array.from({ length: VOTERS }, () => ({
    roomId,
    guestId: randomUUID(),
    role: "guest" as const,
    expiresAt: now + 3_600_000,
  }));
  await Promise.all(
    sessions.map((s, i) =>
      store.createGuest({
        roomId,
        id: s.guestId,
        name: `voter ${i}`,
        role: "guest",
        banned: false,
        deviceId: null,
        joinedAt: now,
        lastSeenAt: now,
        lastAddAt: null,
        addWindowStart: 0,
        addWindowCount: 0,
        version: 0,
      }),
    ),
  );

  const rounds: Round[] = [];
  const timed = async (round: string, values: VoteValue[]) => {
    const started = performance.now();
    await Promise.all(sessions.map((s, i) => dj.vote(s, entry.id, values[i]!)));
    const seconds = (performance.now() - started) / 1000;
    rounds.push({ round, operations: values.length, seconds, opsPerSecond: values.length / seconds });
  };
  // Round 1: everyone votes at once (two in three up). Round 2: everyone changes their vote at
  // once (every third voter removes it, the others flip it).
  const first = sessions.map((_, i): VoteValue => (i % 3 === 2 ? -1 : 1));
  const second = first.map((v, i): VoteValue => (i % 3 === 0 ? 0 : v === 1 ? -1 : 1));
  await timed("cast", first);
  await timed("change", second);

  const expected = { up: second.filter((v) => v === 1).length, down: second.filter((v) => v === -1).length };
  const stored = await store.getEntry(roomId, entry.id);
  const actual = { up: stored?.up ?? -1, down: stored?.down ?? -1 };
  return {
    store: label,
    voters: VOTERS,
    rounds,
    expected,
    actual,
    exact: expected.up === actual.up && expected.down === actual.down,
  };
}

async function main() {
  const results: StoreResult[] = [];
  results.push(await run("memory", createMemoryRoomStore()));

  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint)
    throw new Error(
      "AWS_ENDPOINT_URL_DYNAMODB is not set: run with `npm run bench:dj-room`, which starts dynoxide",
    );
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  await createTables(client, djRoomTableDefinitions(prefix));
  let emulatorBaseline: Round | undefined;
  let fanOut: FanOutResult | undefined;
  try {
    // Baseline for the engine: as many concurrent single-item reads as voters.
    const { GetItemCommand } = await import("@aws-sdk/client-dynamodb");
    const started = performance.now();
    await Promise.all(
      Array.from({ length: VOTERS }, () =>
        client.send(
          new GetItemCommand({ TableName: `${prefix}-rooms`, Key: { pk: { S: "x" }, sk: { S: "y" } } }),
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    emulatorBaseline = {
      round: "GetItem baseline",
      operations: VOTERS,
      seconds,
      opsPerSecond: VOTERS / seconds,
    };
    results.push(
      await run("dynamodb (dynoxide)", createDynamoRoomStore({ client, tableName: `${prefix}-rooms` })),
    );
    fanOut = await fanOutLatency(client, `${prefix}-rooms`, LISTENERS, FAN_OUT_VOTES);
  } finally {
    await deleteTables(client, [`${prefix}-rooms`]);
  }

  if (!emulatorBaseline) throw new Error("no emulator baseline");
  const emulator = emulatorBaseline;
  const baseline = results[0]!;
  const ratio = (value: number) => `${value.toPrecision(3)}x`;
  const rows = results.flatMap((r) =>
    r.rounds.map((round, i) => ({
      store: r.store,
      round: round.round,
      votes: round.operations,
      seconds: round.seconds.toFixed(3),
      "ops/s": Math.round(round.opsPerSecond),
      "vs memory": ratio(round.opsPerSecond / baseline.rounds[i]!.opsPerSecond),
      "vs GetItem": r.store === "memory" ? "" : ratio(round.opsPerSecond / emulator.opsPerSecond),
      "final up/down": `${r.actual.up}/${r.actual.down}`,
      exact: r.exact ? "yes" : `NO (expected ${r.expected.up}/${r.expected.down})`,
    })),
  );
  console.table(rows);
  console.log(
    `emulator baseline: ${VOTERS} concurrent GetItem in ${emulator.seconds.toFixed(3)} s (${Math.round(emulator.opsPerSecond)} ops/s)`,
  );
  if (fanOut) {
    console.table([
      {
        "fan-out": "vote -> WebSocket listeners, 2 instances, API Gateway stand-in",
        listeners: fanOut.listeners,
        votes: fanOut.votes,
        deliveries: fanOut.deliveries,
        "p50 ms": fanOut.p50Ms.toFixed(1),
        "p99 ms": fanOut.p99Ms.toFixed(1),
        "max ms": fanOut.maxMs.toFixed(1),
      },
    ]);
  }
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(
    new URL("./results/dj-room.json", import.meta.url),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        voters: VOTERS,
        node: process.version,
        emulatorBaseline,
        results,
        fanOut,
      },
      null,
      2,
    )}\n`,
  );
  if (fanOut && fanOut.deliveries !== fanOut.listeners * fanOut.votes) {
    console.error(`Fan-out delivered ${fanOut.deliveries} of ${fanOut.listeners * fanOut.votes} events`);
    process.exitCode = 1;
  }
  if (results.some((r) => !r.exact)) {
    console.error("Final counts were not exact");
    process.exitCode = 1;
  }
}

await main();
