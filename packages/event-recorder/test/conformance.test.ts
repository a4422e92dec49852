import { createMemoryEventSink } from "@portside/event-recorder";
import { createPgEventReader, createPgEventSink, createPgPool, migrate } from "@portside/event-recorder/pg";
import { eventSinkConformance } from "@portside/event-recorder/testing";
import type pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "#test-support";

eventSinkConformance("memory", async () => {
  const sink = createMemoryEventSink();
  return { sink, reader: sink };
});

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool({ connectionString: db.url });
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

eventSinkConformance("PostgreSQL", async () => {
  await pool.query(
    "TRUNCATE audit.audit_events, billing.billing_events, billing.billing_status, billing.fraud_events",
  );
  return { sink: createPgEventSink({ pool }), reader: createPgEventReader({ pool }) };
});
