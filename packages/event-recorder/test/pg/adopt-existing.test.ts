import { createKeyring, createRecorder, encryptLegacy, rawKey } from "@portside/event-recorder";
import { createPgEventSink, createPgQuarantineStore, migrate, migrations } from "@portside/event-recorder/pg";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvent, billingEvent, legacyKey } from "../fixtures.js";
import { existingServiceDatabase } from "./databases.js";

/** Rows the old service wrote, as they sit in its tables. */
const OLD_ROWS = `
INSERT INTO audit.audit_events VALUES
  ('old-1', '2017-06-01 09:00:00', 'saml-engine', 's-old', 'session_event', '{"session_event_type":"idp_authn_succeeded"}'),
  ('old-2', '2017-06-01 09:00:01', 'saml-engine', NULL, 'error_event', NULL);
INSERT INTO billing.billing_events VALUES
  ('2017-06-01 09:00:00', 's-old', 'pid', 'req', 'idp', 'LEVEL_1', NULL, 'LEVEL_2', 'old-1', 'rp');
INSERT INTO billing.billing_status VALUES ('old-1', 'BILLED');
INSERT INTO billing.fraud_events VALUES
  ('2017-06-01 09:00:02', 's-old', 'pid', 'idp', 'f', 'IT01', 'old-3', NULL, 'rp');
`;

let db: Awaited<ReturnType<typeof existingServiceDatabase>>;
beforeAll(async () => {
  db = await existingServiceDatabase({ adopt: false, populate: OLD_ROWS });
});
afterAll(async () => {
  await db?.drop();
});

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything about the old schemas that adoption must leave alone: columns, constraints, indexes, rows. */
const snapshot = async () => ({
  columns: await query(
    db.superuserUrl,
    `SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema IN ('audit', 'billing', 'idp_data') ORDER BY 1, 2, 3`,
  ),
  indexes: await query(
    db.superuserUrl,
    "SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname IN ('audit', 'billing') ORDER BY 1, 2",
  ),
  rows: await query(
    db.superuserUrl,
    `SELECT (SELECT json_agg(a ORDER BY event_id) FROM audit.audit_events a) AS audit,
            (SELECT json_agg(b ORDER BY event_id) FROM billing.billing_events b) AS billing,
            (SELECT json_agg(s) FROM billing.billing_status s) AS status,
            (SELECT json_agg(f ORDER BY event_id) FROM billing.fraud_events f) AS fraud`,
  ),
});

it("adopts a populated database of the old schema as its owner, and reverts to it exactly", async () => {
  const before = await snapshot();
  const all = migrations.map((m) => ({ version: m.version, name: m.name }));

  // The writer cannot adopt (no CREATE): it says so and what is pending, and changes nothing.
  expect(await migrate(db.url, { check: true })).toEqual({ applied: [], pending: all, current: 0 });
  await expect(migrate(db.url)).rejects.toMatchObject({
    code: "MIGRATION_FAILED",
    message: expect.stringContaining("as the schema's owner"),
  });

  expect(await migrate(db.ownerUrl)).toMatchObject({ applied: all, current: migrations.length });
  expect(await snapshot()).toEqual(before);

  // Current now: the writer's cold-start migrate only reads.
  expect(await migrate(db.url)).toEqual({ applied: [], pending: [], current: migrations.length });

  const pool = new pg.Pool({ connectionString: db.url });
  try {
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: rawKey(legacyKey) }),
      sink: createPgEventSink({ pool }),
      quarantine: createPgQuarantineStore({ pool }),
    });
    const billed = billingEvent();
    const result = await recorder.recordBatch([
      { id: "1", body: encryptLegacy(JSON.stringify(billed), legacyKey) },
      { id: "2", body: encryptLegacy(JSON.stringify(auditEvent({ sessionId: 3 })), legacyKey) },
    ]);
    expect(result.results.map((r) => r.status)).toEqual(["recorded", "quarantined"]);
    const [{ n }] = await query(db.url, "SELECT count(*)::int AS n FROM audit.audit_events");
    expect(n).toBe(3);
  } finally {
    await pool.end();
  }

  expect(await migrate(db.ownerUrl, { to: 0, check: true })).toMatchObject({
    pending: [...all].reverse(),
  });
  expect(await migrate(db.ownerUrl, { to: 0 })).toMatchObject({ applied: [...all].reverse(), current: 0 });
  expect(await query(db.superuserUrl, "SELECT to_regnamespace('event_recorder') AS ns")).toEqual([
    { ns: null },
  ]);
  const after = await snapshot();
  expect(after.columns).toEqual(before.columns);
  expect(after.indexes).toEqual(before.indexes);
  // The events recorded while adopted stay: reverting never drops records.
  expect((after.rows[0].audit as unknown[]).length).toBe(3);
  expect(await migrate(db.ownerUrl)).toMatchObject({ applied: all });
});
