import pg from "pg";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { createPgPool } from "./connection.js";
import { type Migration, migrations as shipped } from "./migrations.js";
import { sqlState } from "./pg-errors.js";

/** Advisory lock id held while migrating, so concurrent runs apply each migration once. */
export const MIGRATION_LOCK_ID = 7_270_034_110;

type Step = { version: number; name: string };

/** What `migrate` did, would do (`check`), and the schema version it left. */
export interface MigrateResult {
  /** What this run applied (or, with `to`, reverted). */
  applied: Step[];
  /** What it would apply (or revert): always empty after a run that was not a `check`. */
  pending: Step[];
  /** The version the database is at after the run. */
  current: number;
}

export interface MigrateOptions {
  /** Say what would be done and change nothing. */
  check?: boolean;
  /** Target version: lower than the current one reverts the newer migrations. Default: the newest. */
  to?: number;
  migrations?: readonly Migration[];
}

type Target = string | pg.Pool | pg.Client;

async function connect(target: Target): Promise<{ client: pg.ClientBase; release: () => Promise<void> }> {
  if (typeof target === "string") {
    // The package's pool, so the URL's sslmode means what it means to libpq.
    const pool = createPgPool({ connectionString: target, max: 1 });
    const client = await pool.connect().catch(async (error) => {
      await pool.end();
      throw error;
    });
    return {
      client,
      release: async () => {
        client.release();
        await pool.end();
      },
    };
  }
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    return { client, release: async () => client.release() };
  }
  return { client: target, release: async () => {} };
}

const failed = (message: string, cause?: unknown) =>
  new RecorderError(RecorderErrorCode.migrationFailed, message, cause === undefined ? {} : { cause });

async function appliedVersions(client: pg.ClientBase): Promise<Set<number>> {
  const { rows } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('event_recorder.schema_migrations') IS NOT NULL AS present",
  );
  if (!rows[0]?.present) return new Set();
  const ledger = await client.query<{ version: number }>(
    "SELECT version FROM event_recorder.schema_migrations",
  );
  return new Set(ledger.rows.map((r) => r.version));
}

function plan(done: ReadonlySet<number>, list: readonly Migration[], to: number | undefined) {
  const newest = Math.max(0, ...list.map((m) => m.version));
  const ahead = [...done].filter((v) => v > newest);
  if (ahead.length > 0) {
    throw failed(
      `The database has migration ${Math.max(...ahead)}, newer than this package knows (${newest}): upgrade the package`,
    );
  }
  const target = to ?? newest;
  const sorted = [...list].sort((a, b) => a.version - b.version);
  const up = sorted.filter((m) => m.version <= target && !done.has(m.version));
  const down = sorted.filter((m) => m.version > target && done.has(m.version)).reverse();
  return { up, down, target };
}

const step = (m: Migration): Step => ({ version: m.version, name: m.name });

/**
 * Brings the database to the package's schema (or, with `to`, back to an older version), each
 * migration in its own transaction. A database that is already current is only read: the
 * writer role, with no CREATE privilege, can call this on every cold start. `check` reports
 * what would be done. Idempotent, and safe from several processes at once: they queue on an
 * advisory lock. Accepts a connection string (URL or libpq), a `pg.Pool` or a connected `pg.Client`.
 */
export async function migrate(target: Target, options: MigrateOptions = {}): Promise<MigrateResult> {
  const list = options.migrations ?? shipped;
  const { client, release } = await connect(target);
  try {
    const found = await appliedVersions(client);
    const first = plan(found, list, options.to);
    const current = (done: ReadonlySet<number>) => Math.max(0, ...done);
    if (options.check || (first.up.length === 0 && first.down.length === 0)) {
      return { applied: [], pending: [...first.up, ...first.down].map(step), current: current(found) };
    }
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      try {
        await client.query("CREATE SCHEMA IF NOT EXISTS event_recorder");
        await client.query(`CREATE TABLE IF NOT EXISTS event_recorder.schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      } catch (error) {
        if (sqlState(error) !== "42501")
          throw failed(`Could not create the migration ledger: ${(error as Error).message}`, error);
        throw failed(
          `The schema needs migrations ${first.up.map((m) => m.version).join(", ")} and this role may not create them: run \`portside-recorder migrate\` once as the schema's owner`,
          error,
        );
      }
      const done = await appliedVersions(client);
      const { up, down } = plan(done, list, options.to);
      const applied: Step[] = [];
      for (const migration of [...up, ...down]) {
        const reverting = done.has(migration.version);
        try {
          await client.query("BEGIN");
          if (reverting) {
            if (migration.down === undefined) throw new Error("it cannot be reverted");
            if (migration.down) await client.query(migration.down);
            await client.query("DELETE FROM event_recorder.schema_migrations WHERE version = $1", [
              migration.version,
            ]);
          } else {
            await client.query(migration.sql);
            await client.query(
              "INSERT INTO event_recorder.schema_migrations (version, name) VALUES ($1, $2)",
              [migration.version, migration.name],
            );
          }
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw failed(
            `${reverting ? "Reverting migration" : "Migration"} ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
            error,
          );
        }
        if (reverting) done.delete(migration.version);
        else done.add(migration.version);
        applied.push(step(migration));
      }
      if (done.size === 0) {
        // Back to the schema before the package: nothing of its own is left behind.
        await client.query("DROP TABLE event_recorder.schema_migrations");
        await client.query("DROP SCHEMA IF EXISTS event_recorder RESTRICT");
      }
      return { applied, pending: [], current: current(done) };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    }
  } catch (error) {
    if (error instanceof RecorderError) throw error;
    throw failed(`Could not migrate: ${(error as Error).message}`, error);
  } finally {
    await release();
  }
}
