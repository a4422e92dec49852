import pg from "pg";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { type Migration, migrations } from "./migrations.js";

/** Advisory lock id held while migrating, so concurrent runs apply each migration once. */
export const MIGRATION_LOCK_ID = 7_270_034_110;

export interface MigrateResult {
  applied: { version: number; name: string }[];
  current: number;
}

type Target = string | pg.Pool | pg.Client;

async function connect(target: Target): Promise<{ client: pg.ClientBase; release: () => Promise<void> }> {
  if (typeof target === "string") {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    return { client, release: () => client.end() };
  }
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    return { client, release: async () => client.release() };
  }
  return { client: target, release: async () => {} };
}

/**
 * Applies the migrations shipped with the package that the database lacks, each in its own
 * transaction. Idempotent, and safe to run from several processes at once: they queue on an
 * advisory lock. Accepts a connection URL, a `pg.Pool` or a connected `pg.Client`.
 */
export async function migrate(
  target: Target,
  list: readonly Migration[] = migrations,
): Promise<MigrateResult> {
  const { client, release } = await connect(target);
  const applied: MigrateResult["applied"] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await client.query("CREATE SCHEMA IF NOT EXISTS event_recorder");
      await client.query(`CREATE TABLE IF NOT EXISTS event_recorder.schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>(
        "SELECT version FROM event_recorder.schema_migrations",
      );
      const done = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...list.map((m) => m.version));
      const ahead = [...done].filter((v) => v > newest);
      if (ahead.length > 0) {
        throw new RecorderError(
          RecorderErrorCode.migrationFailed,
          `The database has migration ${Math.max(...ahead)}, newer than this package knows (${newest}): upgrade the package`,
        );
      }
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        try {
          await client.query("BEGIN");
          await client.query(migration.sql);
          await client.query("INSERT INTO event_recorder.schema_migrations (version, name) VALUES ($1, $2)", [
            migration.version,
            migration.name,
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw new RecorderError(
            RecorderErrorCode.migrationFailed,
            `Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        applied.push({ version: migration.version, name: migration.name });
      }
      return { applied, current: Math.max(0, ...done, ...applied.map((a) => a.version)) };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    }
  } finally {
    await release();
  }
}
