export {
  createPostgresSearchIndex,
  type PgQueryable,
  type PostgresSearchIndexOptions,
} from "./postgres-search-index.js";
