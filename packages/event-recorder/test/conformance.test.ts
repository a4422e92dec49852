import { createMemoryEventSink } from "@portside/event-recorder";
import { createPgEventReader, createPgEventSink, createPgPool } from "@portside/event-recorder/pg";
import { eventSinkConformance } from "@portside/event-recorder/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { type RecorderDatabase, recorderDatabases } from "./pg/databases.js";

eventSinkConformance("memory", async () => {
  const sink = createMemoryEventSink();
  return { sink, reader: sink };
});

describe.each(recorderDatabases)("on $label", ({ create }) => {
  let db: RecorderDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await create();
    pool = createPgPool({ connectionString: db.url });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  // The writer role may DELETE (not TRUNCATE): empty the tables as it can.
  eventSinkConformance("PostgreSQL", async () => {
    await pool.query(
      "DELETE FROM billing.fraud_events; DELETE FROM billing.billing_events; DELETE FROM audit.audit_events",
    );
    return { sink: createPgEventSink({ pool }), reader: createPgEventReader({ pool }) };
  });
});
