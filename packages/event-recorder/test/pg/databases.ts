import { randomBytes } from "node:crypto";
import { createPgPool, migrate } from "@portside/event-recorder/pg";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase } from "#test-support";

/**
 * The schema the old service's database carries, as its own DDL wrote it (its index names,
 * not the package's): the database a team adopting the package already has.
 */
export const EXISTING_SERVICE_DDL = `
CREATE SCHEMA audit;
CREATE SCHEMA billing;
CREATE SCHEMA idp_data;
CREATE TABLE audit.audit_events (
  event_id text NOT NULL, time_stamp timestamp without time zone NOT NULL,
  originating_service text NOT NULL, session_id text, event_type text NOT NULL, details jsonb,
  PRIMARY KEY (event_id, time_stamp));
CREATE INDEX audit_events_event_id ON audit.audit_events USING btree (event_id);
CREATE INDEX audit_events_session_id ON audit.audit_events USING btree (session_id);
CREATE INDEX audit_events_time_stamp ON audit.audit_events USING btree (time_stamp);
CREATE TABLE billing.billing_events (
  time_stamp timestamp NOT NULL, session_id text NOT NULL, hashed_persistent_id text NOT NULL,
  request_id text NOT NULL, idp_entity_id text NOT NULL, minimum_level_of_assurance text NOT NULL,
  preferred_level_of_assurance text, provided_level_of_assurance text NOT NULL, event_id text NOT NULL,
  transaction_entity_id text, PRIMARY KEY (event_id));
CREATE INDEX billing_pid ON billing.billing_events (hashed_persistent_id);
CREATE INDEX billing_pid_time ON billing.billing_events (hashed_persistent_id, time_stamp);
CREATE INDEX billing_provided_loa ON billing.billing_events (provided_level_of_assurance);
CREATE INDEX billing_session ON billing.billing_events (session_id);
CREATE INDEX billing_time ON billing.billing_events (time_stamp);
CREATE TABLE billing.billing_status (
  event_id text PRIMARY KEY REFERENCES billing.billing_events ON UPDATE CASCADE ON DELETE RESTRICT,
  billing_status text NOT NULL);
CREATE TABLE billing.fraud_events (
  time_stamp timestamp NOT NULL, session_id text NOT NULL, hashed_persistent_id text NOT NULL,
  entity_id text NOT NULL, fraud_event_id text NOT NULL, fraud_indicator text NOT NULL,
  event_id text NOT NULL, request_id text, transaction_entity_id text NOT NULL, PRIMARY KEY (event_id));
CREATE INDEX fraud_pid ON billing.fraud_events (hashed_persistent_id);
CREATE INDEX fraud_session ON billing.fraud_events (session_id);
CREATE INDEX fraud_time ON billing.fraud_events (time_stamp);
`;

export interface RecorderDatabase {
  /** Where the recorder connects: the superuser on a fresh database, the writer role on an existing one. */
  url: string;
  /** The schemas' owner (the superuser on a fresh database). */
  ownerUrl: string;
  drop(): Promise<void>;
}

const withUser = (url: string, user: string) => {
  const u = new URL(url);
  u.username = user;
  u.password = "";
  return u.toString();
};

async function run(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** (a) A fresh database, migrated by the package. */
export async function freshDatabase(): Promise<RecorderDatabase> {
  const db = await createTestDatabase();
  await migrate(db.url);
  return { url: db.url, ownerUrl: db.url, drop: () => db.drop() };
}

/**
 * (b) A database built as the old service's: schemas owned by an owner role, a writer role with
 * USAGE and SELECT, INSERT, DELETE on the three tables and nothing more. `adopt` runs the
 * package's migration once as the owner (what an operator does before switching over);
 * `populate` runs SQL as the owner first (rows the old service wrote).
 */
export async function existingServiceDatabase(
  options: { adopt?: boolean; populate?: string } = {},
): Promise<RecorderDatabase & { superuserUrl: string }> {
  const db = await createTestDatabase();
  const suffix = randomBytes(4).toString("hex");
  const owner = `event_system_owner_${suffix}`;
  const writer = `event_writer_${suffix}`;
  await run(
    db.url,
    `CREATE ROLE ${owner} LOGIN; CREATE ROLE ${writer} LOGIN;
     GRANT CREATE, CONNECT ON DATABASE ${db.name} TO ${owner};
     GRANT CONNECT ON DATABASE ${db.name} TO ${writer};
     REVOKE CREATE ON SCHEMA public FROM PUBLIC;`,
  );
  const ownerUrl = withUser(db.url, owner);
  await run(
    ownerUrl,
    `${EXISTING_SERVICE_DDL}
     GRANT USAGE ON SCHEMA audit, billing TO ${writer};
     GRANT SELECT, INSERT, DELETE ON audit.audit_events, billing.billing_events, billing.fraud_events TO ${writer};
     ${options.populate ?? ""}`,
  );
  if (options.adopt ?? true) await migrate(ownerUrl);
  return {
    url: withUser(db.url, writer),
    ownerUrl,
    superuserUrl: db.url,
    async drop() {
      await db.drop();
      await run(process.env.DATABASE_URL!, `DROP ROLE IF EXISTS ${writer}; DROP ROLE IF EXISTS ${owner}`);
    },
  };
}

/** Both databases every PostgreSQL suite of the package runs on. */
export const recorderDatabases = [
  { label: "a fresh database", create: freshDatabase },
  { label: "the existing service's schema, as its writer role", create: () => existingServiceDatabase() },
] as const;

/** A database and a pool on it for the enclosing `describe`, dropped after it. */
export function useRecorderDatabase(create: () => Promise<RecorderDatabase>): {
  db: RecorderDatabase;
  pool: pg.Pool;
} {
  const state = {} as { db: RecorderDatabase; pool: pg.Pool };
  beforeAll(async () => {
    state.db = await create();
    state.pool = createPgPool({ connectionString: state.db.url });
  });
  afterAll(async () => {
    await state.pool?.end();
    await state.db?.drop();
  });
  return state;
}
