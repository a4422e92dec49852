import { createHash } from "node:crypto";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { queryLimit } from "../memory/cursor.js";
import type { QuarantinedMessage, QuarantineReason, QuarantineStore } from "../ports.js";
import { unavailable } from "./pg-errors.js";
import type { PgPool } from "./queryable.js";

/** Longest body kept (characters); a longer one keeps its start, and its full length is recorded. */
export const MAX_QUARANTINED_BODY = 1024 * 1024;

/** What PostgreSQL's text refuses: NUL and UTF-16 surrogates that are not part of a pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const storableText = (text: string) => !new RegExp(UNSTORABLE.source).test(text);

/** For detail and attributes: the text with what PostgreSQL refuses replaced. */
const sanitize = (text: string) => text.replace(UNSTORABLE, "\uFFFD");

const sanitizeAttributes = (attributes: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.fromEntries(Object.entries(attributes).map(([k, v]) => [sanitize(k), sanitize(v)])));

/** The body as it can be stored: as is, or (NUL, lone surrogates) base64 of its UTF-8; bounded. */
function storableBody(body: string): { body: string; encoding: "text" | "base64" } {
  const kept = body.length > MAX_QUARANTINED_BODY ? body.slice(0, MAX_QUARANTINED_BODY) : body;
  return storableText(kept)
    ? { body: kept, encoding: "text" }
    : { body: Buffer.from(kept, "utf8").toString("base64"), encoding: "base64" };
}

/** The quarantine's key: the same body re-sent is one row whose `attempts` grows. */
export const contentHash = (body: string) => createHash("sha256").update(body, "utf8").digest("hex");

interface QuarantineRow {
  id: string;
  message_id: string;
  body: string;
  body_encoding: "text" | "base64";
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
  body: row.body_encoding === "base64" ? Buffer.from(row.body, "base64").toString("utf8") : row.body,
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

/**
 * `createPgQuarantineStore({ pool })`: the `event_recorder.quarantine` table, one row per
 * distinct body (a re-sent poison message counts an attempt). Bodies PostgreSQL cannot hold as
 * text are kept as base64, and at most `MAX_QUARANTINED_BODY` characters of any body.
 */
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
      const byContent = new Map<string, { entry: (typeof entries)[number]; count: number }>();
      for (const entry of entries) {
        const hash = contentHash(entry.body);
        const seen = byContent.get(hash);
        if (seen) seen.count++;
        else byContent.set(hash, { entry, count: 1 });
      }
      const rows = [...byContent.entries()].map(([hash, { entry, count }]) => ({
        hash,
        count,
        entry,
        stored: storableBody(entry.body),
      }));
      await run("Could not quarantine messages", () =>
        pool.query(
          `INSERT INTO event_recorder.quarantine
             (content_hash, message_id, body, body_encoding, body_characters, attributes, reason, detail, attempts)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::jsonb[],
             $7::text[], $8::text[], $9::integer[])
           ON CONFLICT (content_hash) DO UPDATE
             SET attempts = quarantine.attempts + EXCLUDED.attempts, last_received_at = now()`,
          [
            rows.map((r) => r.hash),
            rows.map((r) => sanitize(r.entry.messageId)),
            rows.map((r) => r.stored.body),
            rows.map((r) => r.stored.encoding),
            rows.map((r) => r.entry.body.length),
            rows.map((r) => sanitizeAttributes(r.entry.attributes)),
            rows.map((r) => r.entry.reason),
            rows.map((r) => sanitize(r.entry.detail)),
            rows.map((r) => r.count),
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
