import type pg from "pg";

/** A `pg.Pool` or anything shaped like one (a `pg.Client` for `migrate`). */
export type PgPool = Pick<pg.Pool, "query" | "connect">;
export type PgQueryable = Pick<pg.ClientBase, "query">;
