import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { parseEvent } from "../src/index.js";
import { batchParameters, insertStatement } from "../src/pg/event-sink.js";
import { createPgEventSink, migrate } from "../src/pg/index.js";

const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
const name = `tmp_${randomBytes(3).toString("hex")}`;
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(process.env.DATABASE_URL!);
url.pathname = `/${name}`;
const pool = new pg.Pool({ connectionString: url.toString() });
await migrate(pool);
const N = 20000;
const mk = () =>
  Array.from({ length: N }, (_, i) =>
    parseEvent(
      JSON.stringify({
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
        },
      }),
    ),
  );
const sink = createPgEventSink({ pool });
const plain = insertStatement({ onConflictDoNothing: false });
const conflict = insertStatement({ onConflictDoNothing: true });
const variants: Record<string, (ev: ReturnType<typeof mk>) => Promise<unknown>> = {
  ceilingTx: async (ev) => {
    const c = await pool.connect();
    await c.query("BEGIN");
    for (let f = 0; f < N; f += 10000) await c.query(plain, batchParameters(ev.slice(f, f + 10000)));
    await c.query("COMMIT");
    c.release();
  },
  conflictTx: async (ev) => {
    const c = await pool.connect();
    await c.query("BEGIN");
    for (let f = 0; f < N; f += 10000) await c.query(conflict, batchParameters(ev.slice(f, f + 10000)));
    await c.query("COMMIT");
    c.release();
  },
  sinkWrite10k: async (ev) => {
    for (let f = 0; f < N; f += 10000) await sink.write(ev.slice(f, f + 10000));
  },
  chunks1000: async (ev) => {
    for (let f = 0; f < N; f += 10000) {
      const b = await sink.openBatch!();
      for (let g = f; g < f + 10000; g += 1000) await b.write(ev.slice(g, g + 1000));
      await b.commit();
    }
  },
  plainChunks1000: async (ev) => {
    for (let f = 0; f < N; f += 10000) {
      const c = await pool.connect();
      await c.query("BEGIN");
      for (let g = f; g < f + 10000; g += 1000) await c.query(plain, batchParameters(ev.slice(g, g + 1000)));
      await c.query("COMMIT");
      c.release();
    }
  },
};
const totals: Record<string, number> = {};
for (let round = 0; round < 3; round++)
  for (const [label, fn] of Object.entries(variants)) {
    const ev = mk();
    await pool.query("TRUNCATE audit.audit_events, billing.billing_events, billing.fraud_events");
    const t = performance.now();
    await fn(ev);
    totals[label] = (totals[label] ?? 0) + performance.now() - t;
  }
for (const [k, v] of Object.entries(totals)) console.log(k, Math.round((3 * N) / (v / 1000)), "rows/s");
await pool.end();
await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
await admin.end();
