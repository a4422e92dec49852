import { RecorderError, RecorderErrorCode } from "../errors.js";
import type { RoutedEvent } from "../event/routing.js";
import type { Logger } from "../observability.js";
import type { EventSink, SinkBatch, SinkOutcome } from "../ports.js";
import {
  AUDIT_COLUMNS,
  BILLING_COLUMNS,
  billingValues,
  FRAUD_COLUMNS,
  fraudValues,
  columnNames as names,
} from "./event-rows.js";
import { isDataError, sqlState, unavailable } from "./pg-errors.js";
import type { PgPool } from "./queryable.js";

/** Options of `createPgEventSink`: the pool and a logger. */
export interface PgEventSinkOptions {
  pool: PgPool;
  logger?: Logger;
}

/** The rows of a JSON array of arrays, whose `i`-th element is the `i`-th of `columns`. */
function fromArrays(parameter: string, columns: string): string {
  const select = columns.split(",").map((column, i) => {
    const [name, type] = column.trim().split(/\s+/);
    if (type === "text") return `e->>${i} AS ${name}`;
    if (type === "jsonb") return `NULLIF(e->${i}, 'null') AS ${name}`;
    return `(e->>${i})::${type} AS ${name}`;
  });
  return `SELECT ${select.join(", ")} FROM jsonb_array_elements(${parameter}::jsonb) AS r(e)`;
}

/**
 * One statement, so one transaction: audit, billing and fraud rows of the whole batch commit
 * together. Rows travel as three JSON documents, each row an array of its column values
 * (serialised natively, parsed once by PostgreSQL as `jsonb`), so a batch of any size is three
 * parameters. Arrays rather than objects: no key to write, send and parse for every value,
 * which with `details` read as it is made the statement about a quarter cheaper. Times are UTC
 * wall-clock `timestamp`s, as the existing service stores them. `ON CONFLICT DO NOTHING` names
 * no key, so it holds on whichever the tables have: the audit key is (event_id, time_stamp),
 * so the statement returns the positions of events already recorded with the same id and time
 * (usually none).
 */
export function insertStatement(options: { onConflictDoNothing: boolean }): string {
  const dedupe = options.onConflictDoNothing;
  const conflict = dedupe ? "ON CONFLICT DO NOTHING" : "";
  return `
WITH input AS MATERIALIZED (
  ${fromArrays("$1", `n integer, ${AUDIT_COLUMNS}`)}
), audit_rows AS (
  INSERT INTO audit.audit_events (${names(AUDIT_COLUMNS)})
  SELECT ${names(AUDIT_COLUMNS)} FROM input
  ${conflict}
  ${dedupe ? "RETURNING event_id, time_stamp" : ""}
), billing_rows AS (
  INSERT INTO billing.billing_events (${names(BILLING_COLUMNS)})
  ${fromArrays("$2", BILLING_COLUMNS)}
  ${conflict}
), fraud_rows AS (
  INSERT INTO billing.fraud_events (${names(FRAUD_COLUMNS)})
  ${fromArrays("$3", FRAUD_COLUMNS)}
  ${conflict}
)
${
  dedupe
    ? "SELECT input.n FROM input LEFT JOIN audit_rows USING (event_id, time_stamp) WHERE audit_rows.event_id IS NULL"
    : "SELECT 1 WHERE false"
}`;
}

const INSERT_BATCH = insertStatement({ onConflictDoNothing: true });

/** UTC wall-clock time for a `timestamp` column: ISO-8601 without the zone. */
export const wallClock = (date: Date) => date.toISOString().slice(0, -1);

/** The statement's three parameters: audit, billing and fraud rows as JSON arrays of column values, in column order. */
export function batchParameters(events: readonly RoutedEvent[]): [string, string, string] {
  const audit: unknown[][] = [];
  const billing: unknown[][] = [];
  const fraud: unknown[][] = [];
  for (const [n, event] of events.entries()) {
    const a = event.audit;
    const time = wallClock(a.timestamp);
    audit.push([n, a.eventId, a.eventType, time, a.originatingService, a.sessionId, a.details]);
    const b = event.billing;
    if (b) {
      billing.push(billingValues(b, time));
    }
    const f = event.fraud;
    if (f) {
      fraud.push(fraudValues(f, time));
    }
  }
  return [JSON.stringify(audit), JSON.stringify(billing), JSON.stringify(fraud)];
}

/**
 * `createPgEventSink({ pool })`: writes a batch in one multi-row statement with
 * `ON CONFLICT DO NOTHING`, so a redelivered event (same id and time) is a `duplicate`, never an
 * error. An event with a recorded id but another time is a new audit row, as the audit key
 * says; its billing or fraud row (keyed by event id alone) is not written twice: the first
 * stands. When the database refuses the batch for one event's data (say a NUL character), or
 * the event cannot be serialised, the batch is bisected so only that event is `rejected` and
 * its neighbours are recorded. Connection
 * failures throw `SINK_UNAVAILABLE`: nothing was written, retry the batch. `openBatch` writes
 * a large batch chunk by chunk in one transaction (with `isolateRows`, each chunk under a savepoint).
 */
export function createPgEventSink(options: PgEventSinkOptions): EventSink {
  const { pool, logger } = options;

  type Run = (sql: string, params?: unknown[]) => Promise<{ rows: { n: number }[] }>;

  /** `autocommit`: every statement its own transaction; `isolated`: savepoints; `fast`: neither, abort on refusal. */
  type Mode = "autocommit" | "isolated" | "fast";

  /** Outcomes of one successful statement: ids it did not insert, and repeats of an id, are duplicates. */
  const statementOutcomes = (
    events: readonly RoutedEvent[],
    notInserted: ReadonlySet<number>,
  ): SinkOutcome[] => {
    const seen = new Set<string>();
    return events.map((event, n): SinkOutcome => {
      const key = `${event.audit.eventId}\u0000${event.audit.timestamp.getTime()}`;
      if (notInserted.has(n) || seen.has(key)) return { status: "duplicate" };
      seen.add(key);
      return { status: "recorded" };
    });
  };

  /**
   * Inserts `events` and returns their outcomes, bisecting when the database refuses the data
   * of one of them. In `isolated` mode every attempt runs under a savepoint, so a refusal does
   * not abort the transaction; in `fast` mode a refusal throws `ROWS_REJECTED`.
   */
  const insert = async (run: Run, events: readonly RoutedEvent[], mode: Mode): Promise<SinkOutcome[]> => {
    const savepoints = mode === "isolated";
    if (savepoints) await run("SAVEPOINT recorder_chunk");
    try {
      let parameters: [string, string, string];
      try {
        parameters = batchParameters(events);
      } catch (error) {
        // A value JSON cannot carry: the fault of one of these events, found by bisecting.
        throw new RecorderError(
          RecorderErrorCode.rejectedBySink,
          `Event cannot be serialised: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        );
      }
      const { rows } = await run(INSERT_BATCH, parameters);
      if (savepoints) await run("RELEASE SAVEPOINT recorder_chunk");
      return statementOutcomes(events, new Set(rows.map((r) => r.n)));
    } catch (error) {
      const unserialisable =
        error instanceof RecorderError && error.code === RecorderErrorCode.rejectedBySink;
      if (!isDataError(error) && !unserialisable) {
        throw unavailable(error, "Could not write events");
      }
      if (mode === "fast") {
        throw new RecorderError(RecorderErrorCode.rowsRejected, "The database refused a row of this batch", {
          cause: error,
        });
      }
      if (savepoints) await run("ROLLBACK TO SAVEPOINT recorder_chunk");
      let result: SinkOutcome[];
      if (events.length === 1) {
        result = [
          {
            status: "rejected",
            reason: sqlState(error)
              ? `${(error as Error).message} (SQLSTATE ${sqlState(error)})`
              : (error as Error).message,
          },
        ];
      } else {
        const middle = Math.ceil(events.length / 2);
        result = [
          ...(await insert(run, events.slice(0, middle), mode)),
          ...(await insert(run, events.slice(middle), mode)),
        ];
      }
      if (savepoints) await run("RELEASE SAVEPOINT recorder_chunk");
      return result;
    }
  };

  const write = async (run: Run, events: readonly RoutedEvent[], mode: Mode): Promise<SinkOutcome[]> => {
    if (events.length === 0) return [];
    const outcomes = await insert(run, events, mode);
    const rejected = outcomes.filter((o) => o.status === "rejected").length;
    if (rejected > 0) logger?.warn("database rejected events", { count: rejected });
    return outcomes;
  };

  const guard = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw unavailable(error, what);
    }
  };

  return {
    async write(events) {
      return write((sql, params) => pool.query(sql, params), events, "autocommit");
    },

    async openBatch(batchOptions = {}): Promise<SinkBatch> {
      const mode: Mode = batchOptions.isolateRows ? "isolated" : "fast";
      const client = await guard("Could not connect to the database", () => pool.connect());
      let broken: Error | undefined;
      let done = false;
      // A checked-out client has no pool listener: a server shutdown between queries must not crash the process.
      const onError = (error: Error) => {
        broken = error;
        logger?.warn("database connection lost during a batch", { error: error.message });
      };
      client.on("error", onError);
      const run: Run = async (sql, params) => {
        try {
          return await client.query<{ n: number }>(sql, params);
        } catch (error) {
          if (!isDataError(error)) broken = error as Error;
          throw error;
        }
      };
      const finish = () => {
        if (done) return;
        done = true;
        client.off("error", onError);
        client.release(broken);
      };
      try {
        await run("BEGIN");
      } catch (error) {
        finish();
        throw unavailable(error, "Could not start a transaction");
      }
      return {
        async write(events) {
          return write(run, events, mode);
        },
        async commit() {
          try {
            await guard("Could not commit events", () => run("COMMIT"));
          } finally {
            finish();
          }
        },
        async rollback() {
          if (done) return;
          try {
            await run("ROLLBACK");
          } catch {
            broken ??= new Error("rollback failed");
          } finally {
            finish();
          }
        },
      };
    },
  };
}
