/** A schema change, shipped inside the build as SQL text. Versions only grow; applied ones never change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "audit and billing tables",
    sql: `
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS billing;

CREATE TABLE IF NOT EXISTS audit.audit_events (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  event_type text NOT NULL,
  time_stamp timestamptz NOT NULL,
  originating_service text NOT NULL,
  session_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT audit_events_event_id_key UNIQUE (event_id)
);
CREATE INDEX IF NOT EXISTS audit_events_time_idx ON audit.audit_events (time_stamp, event_id);
CREATE INDEX IF NOT EXISTS audit_events_session_idx ON audit.audit_events (session_id, time_stamp, event_id);
CREATE INDEX IF NOT EXISTS audit_events_type_idx ON audit.audit_events (event_type, time_stamp, event_id);

CREATE TABLE IF NOT EXISTS billing.billing_events (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  time_stamp timestamptz NOT NULL,
  session_id text NOT NULL,
  hashed_persistent_id text NOT NULL,
  request_id text NOT NULL,
  idp_entity_id text NOT NULL,
  minimum_level_of_assurance text NOT NULL,
  preferred_level_of_assurance text,
  provided_level_of_assurance text NOT NULL,
  transaction_entity_id text NOT NULL,
  CONSTRAINT billing_events_event_id_key UNIQUE (event_id)
);

CREATE TABLE IF NOT EXISTS billing.fraud_events (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  time_stamp timestamptz NOT NULL,
  session_id text NOT NULL,
  hashed_persistent_id text NOT NULL,
  entity_id text NOT NULL,
  fraud_event_id text NOT NULL,
  fraud_indicator text NOT NULL,
  request_id text NOT NULL,
  transaction_entity_id text NOT NULL,
  CONSTRAINT fraud_events_event_id_key UNIQUE (event_id)
);
`,
  },
  {
    version: 2,
    name: "quarantine",
    sql: `
CREATE TABLE IF NOT EXISTS event_recorder.quarantine (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL,
  body text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  reason text NOT NULL,
  detail text NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 1,
  replayed_at timestamptz,
  CONSTRAINT quarantine_message_id_key UNIQUE (message_id)
);
CREATE INDEX IF NOT EXISTS quarantine_pending_idx ON event_recorder.quarantine (id) WHERE replayed_at IS NULL;
`,
  },
];
