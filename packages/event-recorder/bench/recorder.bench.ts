/**
 * 100k encrypted events through the batch path into PostgreSQL, beside two baselines measured
 * in the same run, each in a database of its own with the shipped schema:
 *   (a) one INSERT and COMMIT per event, as the system we replace writes;
 *   (b) the ceiling: the same rows already decoded, written with COPY in one transaction.
 * The machine is shared, so the run is split into rounds and each round measures all three on
 * its slice of the events: load swings hit the three alike. Rates are events over summed time.
 * The baselines run in a process of their own (one round at a time, never beside the recorder),
 * so the peak RSS is the recorder's alone, as in a deployed consumer.
 * RECORDER_BENCH_EVENTS sets the size (default 100000), RECORDER_BENCH_SINGLE the number of
 * events (a) writes (default 10000: 100k single commits would take minutes and its rate does
 * not depend on it), RECORDER_BENCH_ROUNDS (default 5), RECORDER_BENCH_CONCURRENCY batches in
 * flight (default 1: on 2 cores PostgreSQL takes one, decoding the next batch the other), RECORDER_BENCH_BATCH (default 10000, SQS's maximum).
 */

import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createKeyring, createRecorder, encryptLegacy, encryptV2, rawKey } from "../src/index.js";
import { createPgEventSink, createPgPool, createPgQuarantineStore, migrate } from "../src/pg/index.js";
import { serveBaselines, startBaselines } from "./baselines.js";
import { openInput } from "./input.js";

const total = Number(process.env.RECORDER_BENCH_EVENTS ?? 100_000);
const singleTotal = Math.min(total, Number(process.env.RECORDER_BENCH_SINGLE ?? 10_000));
const batchSize = Number(process.env.RECORDER_BENCH_BATCH ?? 10_000);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("DATABASE_URL is not set: run `npm run bench:recorder`");

const legacyKey = process.env.RECORDER_BENCH_LEGACY_KEY
  ? Buffer.from(process.env.RECORDER_BENCH_LEGACY_KEY, "hex")
  : randomBytes(32);
const v2Key = process.env.RECORDER_BENCH_V2_KEY
  ? Buffer.from(process.env.RECORDER_BENCH_V2_KEY, "hex")
  : randomBytes(32);

function makeEvent(i: number) {
  const base = {
    eventId: randomUUID(),
    eventType: "session_event",
    timestamp: Date.UTC(2026, 0, 1) + i * 37,
    originatingService: "saml-engine",
    sessionId: randomUUID(),
    details: {
      session_event_type: "idp_selected",
      idp_entity_id: "https://idp.example/entity",
      transaction_entity_id: "https://rp.example/service",
      principal_ip_address_as_seen_by_hub: "192.0.2.10",
      analytics_session_id: randomUUID(),
    } as Record<string, unknown>,
  };
  if (i % 4 === 0) {
    base.details = {
      ...base.details,
      session_event_type: "idp_authn_succeeded",
      pid: randomBytes(16).toString("hex"),
      request_id: `_${randomUUID()}`,
      minimum_level_of_assurance: "LEVEL_1",
      preferred_level_of_assurance: "LEVEL_2",
      provided_level_of_assurance: "LEVEL_2",
    };
  } else if (i % 20 === 1) {
    base.details = {
      ...base.details,
      session_event_type: "fraud_detected",
      pid: randomBytes(16).toString("hex"),
      idp_fraud_event_id: randomUUID(),
      gpg45_status: "IT01",
      request_id: `_${randomUUID()}`,
    };
  }
  return base;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const rounds = Number(process.env.RECORDER_BENCH_ROUNDS ?? 5);
const concurrency = Number(process.env.RECORDER_BENCH_CONCURRENCY ?? 1);
const chunkSize = Number(process.env.RECORDER_BENCH_CHUNK ?? 1000);

async function createDatabase(admin: pg.Client, label: string) {
  const name = `bench_recorder_${label}_${randomBytes(3).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const pool = createPgPool({ connectionString: url.toString(), max: concurrency + 1 });
  await migrate(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function produceInput(): Promise<string> {
  // Produced by a child process (encrypting leaves the allocator's memory high, which is the
  // producer's, not the consumer's) into a file read one batch at a time, as a consumer
  // receives batches from its queue.
  process.stderr.write(`encrypting ${total} events in a child process...\n`);
  const file = join(mkdtempSync(join(tmpdir(), "recorder-bench-")), "bodies.txt");
  await new Promise<void>((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: process.execArgv,
      env: {
        ...process.env,
        RECORDER_BENCH_GENERATE: file,
        RECORDER_BENCH_LEGACY_KEY: legacyKey.toString("hex"),
        RECORDER_BENCH_V2_KEY: v2Key.toString("hex"),
      },
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`))));
  });
  return file;
}

async function main() {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const databases: { drop(): Promise<void> }[] = [];
  let stopBaselines = async () => {};
  try {
    const batchDb = await createDatabase(admin, "batch");
    const singleDb = await createDatabase(admin, "single");
    const ceilingDb = await createDatabase(admin, "ceiling");
    databases.push(batchDb, singleDb, ceilingDb);
    const file = await produceInput();
    const input = openInput(file);
    const { offsets, readBodies } = input;
    const baselines = startBaselines(fileURLToPath(import.meta.url), {
      file,
      legacyKey: legacyKey.toString("hex"),
      v2Key: v2Key.toString("hex"),
      singleUrl: singleDb.url,
      ceilingUrl: ceilingDb.url,
    });
    stopBaselines = baselines.stop;
    const keyring = createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key) } });
    const recorder = createRecorder({
      keyring,
      sink: createPgEventSink({ pool: batchDb.pool }),
      quarantine: createPgQuarantineStore({ pool: batchDb.pool }),
      chunkSize,
    });

    const rssBefore = rssMb();
    let peakRss = rssBefore;
    let sampling = false;
    let peakDetail = "";
    const sampler = setInterval(() => {
      if (!sampling) return;
      const rss = rssMb();
      if (rss > peakRss) {
        const m = process.memoryUsage();
        const mb = (n: number) => Math.round(n / 1048576);
        peakDetail = `V8 heap ${mb(m.heapUsed)} MB used of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`;
        peakRss = rss;
      }
    }, 20);
    const time = { batch: 0, single: 0, ceiling: 0, batchCpu: 0 };
    let singleDone = 0;
    const sliceSize = Math.ceil(total / rounds);
    const singlePerRound = Math.ceil(singleTotal / rounds);

    for (let round = 0; round < rounds; round++) {
      const sliceStart = round * sliceSize;
      const sliceEnd = Math.min(total, sliceStart + sliceSize);
      if (sliceStart >= sliceEnd) break;

      // Batch path: SQS-sized batches, `concurrency` in flight as poller workers would run them.
      sampling = true;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      let next = sliceStart;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < sliceEnd) {
            const from = next;
            next = Math.min(sliceEnd, next + batchSize);
            const bodies = readBodies(from, next);
            const { retryIds } = await recorder.recordBatch(
              bodies.map((body, i) => ({ id: String(from + i), body })),
            );
            if (retryIds.length > 0) throw new Error(`${retryIds.length} events were not recorded`);
          }
        }),
      );
      time.batch += performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      time.batchCpu += (cpu.user + cpu.system) / 1000;
      peakRss = Math.max(peakRss, rssMb());
      sampling = false;

      // (a) per-event commits on the slice's first events, (b) COPY of the whole slice.
      const singles = Math.min(singlePerRound, singleTotal - singleDone);
      const baseline = await baselines.round(sliceStart, sliceEnd, singles);
      time.single += baseline.singleMs;
      time.ceiling += baseline.ceilingMs;
      singleDone += singles;
      process.stderr.write(`round ${round + 1}/${rounds} done\n`);
    }
    clearInterval(sampler);
    await baselines.stop();
    input.close();
    rmSync(dirname(file), { recursive: true, force: true });

    const count = async (pool: pg.Pool) =>
      Number((await pool.query("SELECT count(*) AS n FROM audit.audit_events")).rows[0].n);
    const [recorded, ceilingRows] = await Promise.all([count(batchDb.pool), count(ceilingDb.pool)]);
    if (recorded !== total || recorder.counters().recorded !== total || ceilingRows !== total) {
      throw new Error(`recorded ${recorded}, ceiling ${ceilingRows}, of ${total}`);
    }

    const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
    const batchRate = rate(total, time.batch);
    const singleRate = rate(singleDone, time.single);
    const ceilingRate = rate(total, time.ceiling);
    const averageBodyBytes = Math.round((offsets[total]! - total) / total);
    const result = {
      date: new Date().toISOString(),
      events: total,
      averageBodyBytes,
      rounds,
      batchSize,
      chunkSize,
      concurrency,
      batchPath: {
        seconds: +(time.batch / 1000).toFixed(2),
        eventsPerSecond: batchRate,
        peakRssMb: Math.round(peakRss),
        rssBeforeMb: Math.round(rssBefore),
        recorderCpuSeconds: +(time.batchCpu / 1000).toFixed(2),
      },
      singleInsertCommit: {
        events: singleDone,
        seconds: +(time.single / 1000).toFixed(2),
        eventsPerSecond: singleRate,
      },
      ceilingPreDecodedCopy: {
        seconds: +(time.ceiling / 1000).toFixed(2),
        eventsPerSecond: ceilingRate,
      },
      ratios: {
        batchOverSingle: +(batchRate / singleRate).toFixed(1),
        batchOverCeiling: +(batchRate / ceilingRate).toFixed(2),
      },
      targets: { batchOverSingle: 15, batchOverCeiling: 0.55, peakRssMb: 300 },
      node: process.version,
    };
    console.log("");
    console.log(
      `event-recorder: ${total} encrypted events of ${averageBodyBytes} bytes (half legacy CBC, half v2 GCM; 25% billing, 5% fraud), ${rounds} interleaved rounds`,
    );
    console.table({
      "batch path (decrypt+validate+route+write)": {
        "events/s": batchRate,
        seconds: result.batchPath.seconds,
        "vs (a)": `${result.ratios.batchOverSingle}x`,
        "vs (b)": result.ratios.batchOverCeiling,
      },
      [`(a) insert+commit per event (${singleDone})`]: {
        "events/s": singleRate,
        seconds: result.singleInsertCommit.seconds,
        "vs (a)": "1x",
        "vs (b)": +(singleRate / ceilingRate).toFixed(3),
      },
      "(b) ceiling: COPY of pre-decoded rows": {
        "events/s": ceilingRate,
        seconds: result.ceilingPreDecodedCopy.seconds,
        "vs (a)": `${(ceilingRate / singleRate).toFixed(1)}x`,
        "vs (b)": 1,
      },
    });
    console.log(
      `peak RSS during the batch path: ${result.batchPath.peakRssMb} MB (${peakDetail}; ${result.batchPath.rssBeforeMb} MB before it); recorder CPU ${result.batchPath.recorderCpuSeconds} s`,
    );
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    writeFileSync(
      new URL("./results/recorder.json", import.meta.url),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await stopBaselines().catch(() => {});
    for (const db of databases) await db.drop().catch(() => {});
    await admin.end();
  }
}

/** Writes the bodies, newline-separated, and their byte offsets (`<file>.offsets`, uint32 each). */
function generate(file: string) {
  const out = openSync(file, "w");
  const offsets = new Uint32Array(total + 1);
  let at = 0;
  for (let i = 0; i < total; i++) {
    const json = JSON.stringify(makeEvent(i));
    const line = `${i % 2 ? encryptLegacy(json, legacyKey) : encryptV2(json, "k1", v2Key)}\n`;
    offsets[i] = at;
    at += writeSync(out, line, null, "latin1");
  }
  offsets[total] = at;
  closeSync(out);
  writeFileSync(`${file}.offsets`, offsets);
}

if (process.env.RECORDER_BENCH_GENERATE) generate(process.env.RECORDER_BENCH_GENERATE);
else if (process.env.RECORDER_BENCH_BASELINES)
  await serveBaselines(JSON.parse(process.env.RECORDER_BENCH_BASELINES));
else await main();
