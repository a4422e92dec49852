import type pg from "pg";

/** A `pg.Pool` or anything shaped like one (a `pg.Client` for `migrate`). */
export type PgPool = Pick<pg.Pool, "query" | "connect">;
/** Anything that runs a query: a pool or a client. */
export type PgQueryable = Pick<pg.ClientBase, "query">;
