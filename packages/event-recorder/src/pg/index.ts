export {
  type ConnectionSettings,
  createPgPool,
  kmsEncryptedPassword,
  type PasswordProvider,
  type PgPoolOptions,
  parseConnectionString,
} from "./connection.js";
export { createPgEventReader } from "./event-reader.js";
export { createPgEventSink, type PgEventSinkOptions } from "./event-sink.js";
export { MIGRATION_LOCK_ID, type MigrateResult, migrate } from "./migrate.js";
export { type Migration, migrations } from "./migrations.js";
export { createPgQuarantineStore } from "./quarantine-store.js";
export type { PgPool, PgQueryable } from "./queryable.js";
