import { RecorderError, RecorderErrorCode } from "../errors.js";
import { queryLimit } from "../memory/cursor.js";
import type { QuarantinedMessage, QuarantineReason, QuarantineStore } from "../ports.js";
import { unavailable } from "./pg-errors.js";
import type { PgPool } from "./queryable.js";

interface QuarantineRow {
  id: string;
  message_id: string;
  body: string;
  attributes: Record<string, string>;
  reason: QuarantineReason;
  detail: string;
  quarantined_at: Date;
  attempts: number;
  replayed_at: Date | null;
}

const toMessage = (row: QuarantineRow): QuarantinedMessage => ({
  id: row.id,
  messageId: row.message_id,
  body: row.body,
  attributes: row.attributes,
  reason: row.reason,
  detail: row.detail,
  quarantinedAt: row.quarantined_at,
  attempts: row.attempts,
  replayedAt: row.replayed_at,
});

const ID = /^[1-9][0-9]{0,18}$/;

function checkId(id: string, what = "quarantine id"): string {
  if (!ID.test(id))
    throw new RecorderError(RecorderErrorCode.invalidArgument, `${what} must be a positive integer`);
  return id;
}

/** `createPgQuarantineStore({ pool })`: the `event_recorder.quarantine` table, one row per message id. */
export function createPgQuarantineStore(options: { pool: PgPool }): QuarantineStore {
  const { pool } = options;
  const run = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw unavailable(error, what);
    }
  };
  return {
    async put(entries) {
      if (entries.length === 0) return;
      await run("Could not quarantine messages", () =>
        pool.query(
          `INSERT INTO event_recorder.quarantine (message_id, body, attributes, reason, detail)
           SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[])
           ON CONFLICT (message_id) DO NOTHING`,
          [
            entries.map((e) => e.messageId),
            entries.map((e) => e.body),
            entries.map((e) => JSON.stringify(e.attributes)),
            entries.map((e) => e.reason),
            entries.map((e) => e.detail),
          ],
        ),
      );
    },
    async list(listOptions = {}) {
      const limit = queryLimit(listOptions.limit);
      const after = listOptions.cursor ? checkId(listOptions.cursor, "cursor") : "0";
      const { rows } = await run("Could not list the quarantine", () =>
        pool.query<QuarantineRow>(
          `SELECT * FROM event_recorder.quarantine
           WHERE id > $1 AND ($2 OR replayed_at IS NULL)
           ORDER BY id LIMIT $3`,
          [after, listOptions.includeReplayed ?? false, limit + 1],
        ),
      );
      const items = rows.slice(0, limit).map(toMessage);
      return rows.length > limit ? { items, next: items[items.length - 1]!.id } : { items };
    },
    async get(id) {
      if (!ID.test(id)) return null;
      const { rows } = await run("Could not read the quarantine", () =>
        pool.query<QuarantineRow>("SELECT * FROM event_recorder.quarantine WHERE id = $1", [id]),
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async markReplayed(ids, at) {
      if (ids.length === 0) return;
      await run("Could not mark messages replayed", () =>
        pool.query("UPDATE event_recorder.quarantine SET replayed_at = $2 WHERE id = ANY($1::bigint[])", [
          ids.map((id) => checkId(id)),
          at,
        ]),
      );
    },
    async markFailed(id, reason, detail) {
      const { rowCount } = await run("Could not update the quarantine", () =>
        pool.query(
          "UPDATE event_recorder.quarantine SET reason = $2, detail = $3, attempts = attempts + 1 WHERE id = $1",
          [checkId(id), reason, detail],
        ),
      );
      if (rowCount === 0) throw new RecorderError(RecorderErrorCode.notFound, `No quarantined message ${id}`);
    },
  };
}
