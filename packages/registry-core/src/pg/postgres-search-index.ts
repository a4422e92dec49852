import type pg from "pg";
import { QueryError, RegistryErrorCode } from "../errors.js";
import type { SearchIndex, TextHits } from "../ports/search-index.js";

/** A `pg.Pool` or anything shaped like one. */
export type PgQueryable = Pick<pg.Pool, "query">;

/** Options of `createPostgresSearchIndex`: the pool, the table and the text search configuration. */
export interface PostgresSearchIndexOptions {
  pool: PgQueryable;
  /** Table name (default `registry_text`). */
  table?: string;
  /** Text search configuration (default `simple`: no stemming, any language). */
  config?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function encodeCursor(rank: number, id: string): string {
  return Buffer.from(JSON.stringify([rank, id])).toString("base64url");
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown;
    if (Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string") {
      return [value[0], value[1]];
    }
  } catch {}
  throw new QueryError(RegistryErrorCode.invalidCursor, "The cursor does not belong to this search");
}

/**
 * The `SearchIndex` on PostgreSQL full-text search: one row per entity with a `tsvector` under a
 * GIN index; a query is every word (the last as a prefix), ranked by `ts_rank`, then id.
 * Call `createSchema()` once (or run its SQL from your migrations).
 */
export function createPostgresSearchIndex(options: PostgresSearchIndexOptions): SearchIndex & {
  /** Creates the table and its index if they do not exist. */
  createSchema(): Promise<void>;
} {
  const table = options.table ?? "registry_text";
  const config = options.config ?? "simple";
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(config)) {
    throw new Error("table and config must be plain lower-case SQL identifiers");
  }
  const { pool } = options;

  /** `ada love` as `ada & love:*`, each word quoted so no query syntax reaches PostgreSQL. */
  const tsquery = (text: string): string | null => {
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return null;
    return words.map((w, i) => `'${w}'${i === words.length - 1 ? ":*" : ""}`).join(" & ");
  };

  return {
    async createSchema() {
      await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
        organisation text NOT NULL,
        type text NOT NULL,
        id text NOT NULL,
        document tsvector NOT NULL,
        PRIMARY KEY (organisation, id)
      )`);
      await pool.query(`CREATE INDEX IF NOT EXISTS ${table}_document ON ${table} USING GIN (document)`);
      await pool.query(`CREATE INDEX IF NOT EXISTS ${table}_type ON ${table} (organisation, type)`);
    },

    async upsert(documents) {
      if (documents.length === 0) return;
      await pool.query(
        `INSERT INTO ${table} (organisation, type, id, document)
         SELECT o, t, i, to_tsvector('${config}', x) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS d(o, t, i, x)
         ON CONFLICT (organisation, id) DO UPDATE SET type = EXCLUDED.type, document = EXCLUDED.document`,
        [
          documents.map((d) => d.organisation),
          documents.map((d) => d.type),
          documents.map((d) => d.id),
          documents.map((d) => d.text),
        ],
      );
    },

    async remove(keys) {
      if (keys.length === 0) return;
      await pool.query(
        `DELETE FROM ${table} t USING unnest($1::text[], $2::text[]) AS k(o, i) WHERE t.organisation = k.o AND t.id = k.i`,
        [keys.map((k) => k.organisation), keys.map((k) => k.id)],
      );
    },

    async search(query): Promise<TextHits> {
      const q = tsquery(query.text);
      if (q === null) return { ids: [] };
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      const { rows } = await pool.query<{ id: string; rank: number }>(
        `SELECT id, rank FROM (
           SELECT id, ts_rank(document, to_tsquery('${config}', $3))::float8 AS rank
           FROM ${table}
           WHERE organisation = $1 AND type = $2 AND document @@ to_tsquery('${config}', $3)
         ) hits
         WHERE $4::float8 IS NULL OR rank < $4 OR (rank = $4 AND id > $5)
         ORDER BY rank DESC, id
         LIMIT $6`,
        [query.organisation, query.type, q, after?.[0] ?? null, after?.[1] ?? "", query.limit + 1],
      );
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        ids: page.map((r) => r.id),
        ...(rows.length > query.limit && last && { nextCursor: encodeCursor(last.rank, last.id) }),
      };
    },
  };
}
