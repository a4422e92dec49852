import { createPgPool, migrate, migrations } from "@portside/event-recorder/pg";
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "#test-support";

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool({ connectionString: db.url });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it("applies every migration once even when several runs start at the same moment", async () => {
  const results = await Promise.all([migrate(db.url), migrate(pool), migrate(db.url), migrate(pool)]);
  const applied = results.flatMap((r) => r.applied.map((a) => a.version));
  expect(applied.sort()).toEqual(migrations.map((m) => m.version));
  expect(results.every((r) => r.current === migrations.length)).toBe(true);
  const { rows } = await pool.query(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema IN ('audit', 'billing', 'event_recorder') ORDER BY 1`,
  );
  expect(rows.map((r) => r.name)).toEqual([
    "audit.audit_events",
    "billing.billing_events",
    "billing.billing_status",
    "billing.fraud_events",
    "event_recorder.quarantine",
    "event_recorder.schema_migrations",
  ]);
  expect((await migrate(pool)).applied).toEqual([]);
});

it("refuses a database migrated by a newer version of the package", async () => {
  await migrate(pool);
  await pool.query("INSERT INTO event_recorder.schema_migrations (version, name) VALUES (999, 'future')");
  try {
    await expect(migrate(pool)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
  } finally {
    await pool.query("DELETE FROM event_recorder.schema_migrations WHERE version = 999");
  }
});

it("rolls back a failing migration whole, recording nothing", async () => {
  const bad = [
    ...migrations,
    { version: 50, name: "half", sql: "CREATE TABLE audit.half (id int); SELECT 1/0;" },
  ];
  await expect(migrate(pool, { migrations: bad })).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
  const { rows } = await pool.query(
    "SELECT to_regclass('audit.half') AS t, max(version) AS v FROM event_recorder.schema_migrations",
  );
  expect(rows[0]).toEqual({ t: null, v: migrations.length });
});
