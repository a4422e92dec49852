/**
 * The two baselines, run in a process of their own: what they allocate (a round's events decoded
 * at once, COPY's text) would otherwise stay in the recorder's process and count in its peak RSS.
 * The parent asks for one round at a time and waits, so the two processes never run together.
 */
import { type ChildProcess, fork } from "node:child_process";
import type pg from "pg";
import { createKeyring, parseEvent, type RoutedEvent, rawKey } from "../src/index.js";
import { createPgPool } from "../src/pg/index.js";
import { copyCeiling } from "./copy-ceiling.js";
import { openInput } from "./input.js";
import { rowValues, TABLES } from "./row-values.js";

/** What the baseline process needs: the bodies, the keys (hex) and a database for each baseline. */
export interface BaselineConfig {
  file: string;
  legacyKey: string;
  v2Key: string;
  singleUrl: string;
  ceilingUrl: string;
}

/** One round: bodies `from` to `to`; the first `singles` of them also go through (a). */
interface RoundRequest {
  from: number;
  to: number;
  singles: number;
}

/** Milliseconds each baseline took on the round. */
export interface RoundTimes {
  singleMs: number;
  ceilingMs: number;
}

/** `INSERT INTO <table> (<columns>) VALUES ($1, ...)`. */
const insertInto = (table: { name: string; columns: string }) =>
  `INSERT INTO ${table.name} (${table.columns}) VALUES (${table.columns
    .split(",")
    .map((_, i) => `$${i + 1}`)
    .join(", ")})`;
const SINGLE = {
  audit: insertInto(TABLES.audit),
  billing: insertInto(TABLES.billing),
  fraud: insertInto(TABLES.fraud),
};

/** (a): one transaction per event, as the system we replace writes (its audit row, then billing or fraud). */
async function singleCommits(client: pg.PoolClient, events: readonly RoutedEvent[]) {
  for (const event of events) {
    const rows = rowValues(event);
    await client.query("BEGIN");
    await client.query(SINGLE.audit, rows.audit);
    if (rows.billing) await client.query(SINGLE.billing, rows.billing);
    if (rows.fraud) await client.query(SINGLE.fraud, rows.fraud);
    await client.query("COMMIT");
  }
}

/** Times `work` on a client of `pool`. */
async function timed(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await work(client);
    return performance.now() - started;
  } finally {
    client.release();
  }
}

/** The baseline process: answers each round with the times of (a) and (b) until told to stop. */
export async function serveBaselines(config: BaselineConfig): Promise<void> {
  const input = openInput(config.file);
  const keys = await createKeyring({
    legacy: rawKey(Buffer.from(config.legacyKey, "hex")),
    keys: { k1: rawKey(Buffer.from(config.v2Key, "hex")) },
  }).resolve();
  const single = createPgPool({ connectionString: config.singleUrl, max: 1 });
  const ceiling = createPgPool({ connectionString: config.ceilingUrl, max: 1 });
  process.on("message", async (request: RoundRequest | "stop") => {
    if (request === "stop") {
      input.close();
      await Promise.all([single.end(), ceiling.end()]);
      process.disconnect();
      return;
    }
    // The round's events, decoded beforehand (not timed).
    const decoded = input.readBodies(request.from, request.to).map((body) => parseEvent(keys.decrypt(body)));
    const singleMs = await timed(single, (client) =>
      singleCommits(client, decoded.slice(0, request.singles)),
    );
    const ceilingMs = await timed(ceiling, (client) => copyCeiling(client, decoded));
    process.send!({ singleMs, ceilingMs } satisfies RoundTimes);
  });
}

/** Starts the baseline process (this benchmark's `entry` file, run with `RECORDER_BENCH_BASELINES`). */
export function startBaselines(entry: string, config: BaselineConfig) {
  const child: ChildProcess = fork(entry, [], {
    execArgv: process.execArgv,
    env: { ...process.env, RECORDER_BENCH_BASELINES: JSON.stringify(config) },
  });
  const exited = new Promise<never>((_, reject) =>
    child.on("exit", (code) => reject(new Error(`baseline process exited with ${code}`))),
  );
  exited.catch(() => {});
  return {
    /** Runs (a) on the first `singles` events of bodies `from` to `to`, and (b) on all of them. */
    round(from: number, to: number, singles: number): Promise<RoundTimes> {
      const answer = new Promise<RoundTimes>((resolve) => child.once("message", resolve));
      child.send({ from, to, singles } satisfies RoundRequest);
      return Promise.race([answer, exited]);
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || !child.connected) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send("stop");
      await gone;
    },
  };
}
