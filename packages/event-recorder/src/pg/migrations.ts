/**
 * A schema change, shipped inside the build as SQL text. Versions only grow; applied ones never
 * change. `down` reverses it (for `migrate(..., { to })`); a migration that creates tables
 * holding the records has an empty `down`: reverting never drops them.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  down?: string;
}

/**
 * Version 1 is the schema of the service this package replaces, column for column and key for
 * key, so a database that already carries it is adopted as it is (nothing is created there)
 * and a fresh one gets the same. Times are `timestamp` holding UTC wall-clock time.
 */
const existingServiceSchema = `
DO $adopt$
BEGIN
  IF to_regclass('audit.audit_events') IS NOT NULL THEN
    RETURN;
  END IF;
  CREATE SCHEMA IF NOT EXISTS audit;
  CREATE SCHEMA IF NOT EXISTS billing;

  CREATE TABLE audit.audit_events (
    event_id text NOT NULL,
    time_stamp timestamp NOT NULL,
    originating_service text NOT NULL,
    session_id text,
    event_type text NOT NULL,
    details jsonb,
    CONSTRAINT audit_events_pkey PRIMARY KEY (event_id, time_stamp)
  );
  CREATE INDEX audit_events_event_id_idx ON audit.audit_events (event_id);
  CREATE INDEX audit_events_session_id_idx ON audit.audit_events (session_id);
  CREATE INDEX audit_events_time_stamp_idx ON audit.audit_events (time_stamp);

  CREATE TABLE billing.billing_events (
    time_stamp timestamp NOT NULL,
    session_id text NOT NULL,
    hashed_persistent_id text NOT NULL,
    request_id text NOT NULL,
    idp_entity_id text NOT NULL,
    minimum_level_of_assurance text NOT NULL,
    preferred_level_of_assurance text,
    provided_level_of_assurance text NOT NULL,
    transaction_entity_id text,
    event_id text NOT NULL,
    CONSTRAINT billing_events_pkey PRIMARY KEY (event_id)
  );
  CREATE INDEX billing_events_hashed_persistent_id_idx ON billing.billing_events (hashed_persistent_id);
  CREATE INDEX billing_events_pid_time_stamp_idx ON billing.billing_events (hashed_persistent_id, time_stamp);
  CREATE INDEX billing_events_provided_loa_idx ON billing.billing_events (provided_level_of_assurance);
  CREATE INDEX billing_events_session_id_idx ON billing.billing_events (session_id);
  CREATE INDEX billing_events_time_stamp_idx ON billing.billing_events (time_stamp);

  CREATE TABLE billing.billing_status (
    event_id text NOT NULL,
    billing_status text NOT NULL,
    CONSTRAINT billing_status_pkey PRIMARY KEY (event_id),
    CONSTRAINT billing_status_event_id_fkey FOREIGN KEY (event_id)
      REFERENCES billing.billing_events (event_id) ON UPDATE CASCADE ON DELETE RESTRICT
  );

  CREATE TABLE billing.fraud_events (
    time_stamp timestamp NOT NULL,
    session_id text NOT NULL,
    hashed_persistent_id text NOT NULL,
    entity_id text NOT NULL,
    fraud_event_id text NOT NULL,
    fraud_indicator text NOT NULL,
    event_id text NOT NULL,
    request_id text,
    transaction_entity_id text NOT NULL,
    CONSTRAINT fraud_events_pkey PRIMARY KEY (event_id)
  );
  CREATE INDEX fraud_events_hashed_persistent_id_idx ON billing.fraud_events (hashed_persistent_id);
  CREATE INDEX fraud_events_session_id_idx ON billing.fraud_events (session_id);
  CREATE INDEX fraud_events_time_stamp_idx ON billing.fraud_events (time_stamp);
END
$adopt$;
`;

/**
 * The package's own addition: the quarantine, one row per distinct body. Roles that may insert
 * into `audit.audit_events` (the writer) get what the recorder needs on it, so the owner runs
 * this once and the writer keeps its narrow grants elsewhere.
 */
const quarantine = `
CREATE TABLE event_recorder.quarantine (
  id bigserial PRIMARY KEY,
  content_hash text NOT NULL,
  message_id text NOT NULL,
  body text NOT NULL,
  body_encoding text NOT NULL DEFAULT 'text' CHECK (body_encoding IN ('text', 'base64')),
  body_characters integer NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  reason text NOT NULL,
  detail text NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  last_received_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 1,
  replayed_at timestamptz,
  CONSTRAINT quarantine_content_hash_key UNIQUE (content_hash)
);
CREATE INDEX quarantine_pending_idx ON event_recorder.quarantine (id) WHERE replayed_at IS NULL;

DO $grant$
DECLARE writer text;
BEGIN
  FOR writer IN
    SELECT DISTINCT acl.grantee::regrole::text
    FROM pg_class c, aclexplode(c.relacl) acl
    WHERE c.oid = 'audit.audit_events'::regclass AND acl.privilege_type = 'INSERT'
      AND acl.grantee <> 0 AND acl.grantee <> c.relowner
  LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA event_recorder TO %s', writer);
    EXECUTE format('GRANT SELECT ON event_recorder.schema_migrations TO %s', writer);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON event_recorder.quarantine TO %s', writer);
    EXECUTE format('GRANT USAGE ON SEQUENCE event_recorder.quarantine_id_seq TO %s', writer);
  END LOOP;
END
$grant$;
`;

/** The schema migrations the package ships, in version order. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "audit and billing tables (the existing service's schema)",
    sql: existingServiceSchema,
    down: "",
  },
  {
    version: 2,
    name: "quarantine keyed by content",
    sql: quarantine,
    down: "DROP TABLE event_recorder.quarantine;",
  },
];
