import { createMemoryQuarantineStore } from "@portside/event-recorder";
import { createPgPool, createPgQuarantineStore } from "@portside/event-recorder/pg";
import { describeQuarantineStoreConformance } from "@portside/event-recorder/testing";
import type pg from "pg";
import { type RecorderDatabase, recorderDatabases } from "./pg/databases.js";

describeQuarantineStoreConformance("memory", { create: () => createMemoryQuarantineStore() });

for (const { label, create } of recorderDatabases) {
  let db: RecorderDatabase;
  let pool: pg.Pool;
  describeQuarantineStoreConformance(`PostgreSQL on ${label}`, {
    async create() {
      db = await create();
      pool = createPgPool({ connectionString: db.url });
      return createPgQuarantineStore({ pool });
    },
    async destroy() {
      await pool?.end();
      await db?.drop();
    },
    async backdoor() {
      const { rows } = await pool.query(
        'SELECT message_id AS "messageId", attempts FROM event_recorder.quarantine ORDER BY id',
      );
      return rows;
    },
  });
}
