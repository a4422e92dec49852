/**
 * 100k encrypted events through the batch path into PostgreSQL, beside two baselines measured
 * in the same run on the same database:
 *   (a) one INSERT and COMMIT per event, as the system we replace writes;
 *   (b) the ceiling: the same rows already decoded, written in one transaction with the same
 *       multi-row `INSERT ... SELECT FROM json_to_recordset(...)` the sink uses, minus its duplicate
 *       check (not COPY: pg-copy-streams is not a dependency).
 * RECORDER_BENCH_EVENTS sets the size (default 100000); RECORDER_BENCH_SINGLE the size of (a)
 * (default 10000: its rate does not depend on the table size and 100k commits take minutes).
 */

import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createKeyring, createRecorder, encryptLegacy, encryptV2, parseEvent, rawKey } from "../src/index.js";
import { batchParameters, insertStatement } from "../src/pg/event-sink.js";
import { createPgEventSink, createPgPool, createPgQuarantineStore, migrate } from "../src/pg/index.js";

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
    base.eventType = "fraud_detected";
    base.details = {
      ...base.details,
      pid: randomBytes(16).toString("hex"),
      idp_fraud_event_id: randomUUID(),
      gpg45_status: "IT01",
      request_id: `_${randomUUID()}`,
    };
  }
  return base;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

async function main() {
  const dbName = `bench_recorder_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${dbName}`;
  const pool = createPgPool({ connectionString: url.toString(), max: 4 });
  try {
    await migrate(pool);
    const truncate = () =>
      pool.query(
        "TRUNCATE audit.audit_events, billing.billing_events, billing.fraud_events, event_recorder.quarantine",
      );

    // The encrypted input is produced by a child process (producing it leaves the allocator's
    // memory high, which is the producer's, not the consumer's) into a file read one batch at a
    // time, as a consumer receives batches from the queue.
    process.stderr.write(`encrypting ${total} events in a child process...\n`);
    const inputFile = join(mkdtempSync(join(tmpdir(), "recorder-bench-")), "bodies.txt");
    await new Promise<void>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [], {
        execArgv: process.execArgv,
        env: {
          ...process.env,
          RECORDER_BENCH_GENERATE: inputFile,
          RECORDER_BENCH_LEGACY_KEY: legacyKey.toString("hex"),
          RECORDER_BENCH_V2_KEY: v2Key.toString("hex"),
        },
      });
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`)),
      );
    });
    const offsets = new Uint32Array(readFileSync(`${inputFile}.offsets`).buffer.slice(0));
    const inputFd = openSync(inputFile, "r");
    /** Bodies `from` to `to` (exclusive), read from disk as a consumer receives one batch at a time. */
    const readBodies = (from: number, to: number): string[] => {
      const bytes = Buffer.alloc(offsets[to]! - offsets[from]!);
      readSync(inputFd, bytes, 0, bytes.length, offsets[from]!);
      return bytes.toString("latin1").split("\n", to - from);
    };
    const plaintextBytes = offsets[total]! - total;

    const chunkSize = Number(process.env.RECORDER_BENCH_CHUNK ?? 1000);
    // Batch path: recordBatch per SQS-sized batch, two batches in flight as two Lambda/poller workers would.
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key) } }),
      sink: createPgEventSink({ pool }),
      quarantine: createPgQuarantineStore({ pool }),
      chunkSize,
    });
    const rssBefore = rssMb();
    process.stderr.write(
      `RSS before the batch path: ${Math.round(rssBefore)} MB (heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB)\n`,
    );
    let peakRss = rssBefore;
    let peakDetail = "";
    const sampler = setInterval(() => {
      const rss = rssMb();
      if (rss > peakRss) {
        const m = process.memoryUsage();
        peakDetail = `heap ${Math.round(m.heapUsed / 1048576)}/${Math.round(m.heapTotal / 1048576)} MB, external ${Math.round(m.external / 1048576)} MB, buffers ${Math.round(m.arrayBuffers / 1048576)} MB`;
      }
      peakRss = Math.max(peakRss, rss);
    }, 20);
    const concurrency = Number(process.env.RECORDER_BENCH_CONCURRENCY ?? 2);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const from = next;
          next += batchSize;
          const bodies = readBodies(from, Math.min(from + batchSize, total));
          const batch = bodies.map((body, i) => ({ id: String(from + i), body }));
          const { retryIds } = await recorder.recordBatch(batch);
          if (retryIds.length > 0) throw new Error(`${retryIds.length} events were not recorded`);
          peakRss = Math.max(peakRss, rssMb());
        }
      }),
    );
    const batchSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const counters = recorder.counters();
    const recorded = Number((await pool.query("SELECT count(*) AS n FROM audit.audit_events")).rows[0].n);
    if (recorded !== total || counters.recorded !== total)
      throw new Error(`recorded ${recorded} of ${total}`);

    // Decoded rows for the baselines (decoding is not timed there).
    const keys = await createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key) } }).resolve();
    const decoded = [];
    for (let from = 0; from < total; from += batchSize) {
      for (const body of readBodies(from, Math.min(from + batchSize, total)))
        decoded.push(parseEvent(keys.decrypt(body)));
    }
    closeSync(inputFd);
    rmSync(dirname(inputFile), { recursive: true, force: true });

    // (a) one insert (audit, then billing or fraud) and one commit per event.
    await truncate();
    const client = await pool.connect();
    const singleStarted = performance.now();
    for (let i = 0; i < singleTotal; i++) {
      const { audit, billing, fraud } = decoded[i]!;
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO audit.audit_events (event_id, event_type, time_stamp, originating_service, session_id, details)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          audit.eventId,
          audit.eventType,
          audit.timestamp.toISOString(),
          audit.originatingService,
          audit.sessionId,
          JSON.stringify(audit.details),
        ],
      );
      if (billing) {
        await client.query(
          `INSERT INTO billing.billing_events (event_id, time_stamp, session_id, hashed_persistent_id, request_id,
             idp_entity_id, minimum_level_of_assurance, preferred_level_of_assurance, provided_level_of_assurance,
             transaction_entity_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            billing.eventId,
            billing.timestamp.toISOString(),
            billing.sessionId,
            billing.hashedPersistentId,
            billing.requestId,
            billing.idpEntityId,
            billing.minimumLevelOfAssurance,
            billing.preferredLevelOfAssurance,
            billing.providedLevelOfAssurance,
            billing.transactionEntityId,
          ],
        );
      }
      if (fraud) {
        await client.query(
          `INSERT INTO billing.fraud_events (event_id, time_stamp, session_id, hashed_persistent_id, entity_id,
             fraud_event_id, fraud_indicator, request_id, transaction_entity_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            fraud.eventId,
            fraud.timestamp.toISOString(),
            fraud.sessionId,
            fraud.hashedPersistentId,
            fraud.entityId,
            fraud.fraudEventId,
            fraud.fraudIndicator,
            fraud.requestId,
            fraud.transactionEntityId,
          ],
        );
      }
      await client.query("COMMIT");
    }
    const singleSeconds = (performance.now() - singleStarted) / 1000;

    // (b) ceiling: decoded rows, one transaction, the sink's multi-row statement per 10k rows without
    // the duplicate check.
    const ceilingStatement = insertStatement({ onConflictDoNothing: false });
    await truncate();
    const ceilingStarted = performance.now();
    await client.query("BEGIN");
    for (let from = 0; from < total; from += batchSize) {
      await client.query(ceilingStatement, batchParameters(decoded.slice(from, from + batchSize)));
    }
    await client.query("COMMIT");
    const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;
    client.release();

    const rate = (n: number, s: number) => Math.round(n / s);
    const batchRate = rate(total, batchSeconds);
    const singleRate = rate(singleTotal, singleSeconds);
    const ceilingRate = rate(total, ceilingSeconds);
    const result = {
      date: new Date().toISOString(),
      events: total,
      averageBodyBytes: Math.round(plaintextBytes / total),
      batchSize,
      chunkSize,
      concurrency,
      batchPath: {
        seconds: +batchSeconds.toFixed(2),
        eventsPerSecond: batchRate,
        peakRssMb: Math.round(peakRss),
      },
      singleInsertCommit: {
        events: singleTotal,
        seconds: +singleSeconds.toFixed(2),
        eventsPerSecond: singleRate,
      },
      ceilingPreDecodedMultiRowInsert: { seconds: +ceilingSeconds.toFixed(2), eventsPerSecond: ceilingRate },
      ratios: {
        batchOverSingle: +(batchRate / singleRate).toFixed(1),
        batchOverCeiling: +(batchRate / ceilingRate).toFixed(2),
      },
      targets: { batchOverSingle: 15, batchOverCeiling: 0.5, peakRssMb: 300 },
      node: process.version,
    };
    console.log("");
    console.log(
      `event-recorder: ${total} encrypted events (half legacy CBC, half v2 GCM; 25% billing, 5% fraud)`,
    );
    console.table({
      "batch path (decrypt+validate+route+write)": {
        "events/s": batchRate,
        seconds: result.batchPath.seconds,
        "vs (a)": `${result.ratios.batchOverSingle}x`,
        "vs (b)": result.ratios.batchOverCeiling,
      },
      [`(a) insert+commit per event (${singleTotal})`]: {
        "events/s": singleRate,
        seconds: result.singleInsertCommit.seconds,
        "vs (a)": "1x",
        "vs (b)": +(singleRate / ceilingRate).toFixed(3),
      },
      "(b) ceiling: pre-decoded rows, one transaction": {
        "events/s": ceilingRate,
        seconds: result.ceilingPreDecodedMultiRowInsert.seconds,
        "vs (a)": `${(ceilingRate / singleRate).toFixed(1)}x`,
        "vs (b)": 1,
      },
    });
    console.log(
      `peak RSS during the batch path: ${result.batchPath.peakRssMb} MB (${peakDetail}; ${Math.round(rssBefore)} MB before it)`,
    );
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    writeFileSync(
      new URL("./results/recorder.json", import.meta.url),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
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
else await main();
