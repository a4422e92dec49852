import type { RoutedEvent } from "../event/routing.js";
import type { Logger } from "../observability.js";
import type { EventSink, SinkOutcome } from "../ports.js";
import { isDataError, sqlState, unavailable } from "./pg-errors.js";
import type { PgPool } from "./queryable.js";

export interface PgEventSinkOptions {
  pool: PgPool;
  logger?: Logger;
}

/**
 * One statement, so one transaction: audit, billing and fraud rows of the whole batch commit
 * together. Arrays travel as 25 parameters whatever the batch size (no 65,535-parameter limit).
 */
const INSERT_BATCH = `
WITH audit_rows AS (
  INSERT INTO audit.audit_events (event_id, event_type, time_stamp, originating_service, session_id, details)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
), billing_rows AS (
  INSERT INTO billing.billing_events (event_id, time_stamp, session_id, hashed_persistent_id, request_id,
    idp_entity_id, minimum_level_of_assurance, preferred_level_of_assurance, provided_level_of_assurance,
    transaction_entity_id)
  SELECT * FROM unnest($7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[],
    $13::text[], $14::text[], $15::text[], $16::text[])
  ON CONFLICT (event_id) DO NOTHING
), fraud_rows AS (
  INSERT INTO billing.fraud_events (event_id, time_stamp, session_id, hashed_persistent_id, entity_id,
    fraud_event_id, fraud_indicator, request_id, transaction_entity_id)
  SELECT * FROM unnest($17::text[], $18::timestamptz[], $19::text[], $20::text[], $21::text[], $22::text[],
    $23::text[], $24::text[], $25::text[])
  ON CONFLICT (event_id) DO NOTHING
)
SELECT event_id FROM audit_rows`;

export function batchParameters(events: readonly RoutedEvent[]): unknown[] {
  const columns: unknown[][] = Array.from({ length: 25 }, () => []);
  const push = (offset: number, values: unknown[]) => {
    for (let i = 0; i < values.length; i++) columns[offset + i]!.push(values[i]);
  };
  for (const { audit, billing, fraud } of events) {
    push(0, [
      audit.eventId,
      audit.eventType,
      audit.timestamp.toISOString(),
      audit.originatingService,
      audit.sessionId,
      JSON.stringify(audit.details),
    ]);
    if (billing) {
      push(6, [
        billing.eventId,
        billing.timestamp.toISOString(),
        billing.sessionId,
        billing.hashedPersistentId,
        billing.requestId,
        billing.idpEntityId,
        billing.minimumLevelOfAssurance,
        billing.preferredLevelOfAssurance,
        billing.providedLevelOfAssurance,
        billing.transactionEntityId,
      ]);
    }
    if (fraud) {
      push(16, [
        fraud.eventId,
        fraud.timestamp.toISOString(),
        fraud.sessionId,
        fraud.hashedPersistentId,
        fraud.entityId,
        fraud.fraudEventId,
        fraud.fraudIndicator,
        fraud.requestId,
        fraud.transactionEntityId,
      ]);
    }
  }
  return columns;
}

/**
 * `createPgEventSink({ pool })`: writes a batch in one multi-row statement with
 * `ON CONFLICT (event_id) DO NOTHING`, so a redelivered event is a `duplicate`, never an error.
 * When the database refuses the batch for one event's data (say a NUL character), the batch is
 * bisected so only that event is `rejected` and its neighbours are recorded. Connection
 * failures throw `SINK_UNAVAILABLE`: nothing was written, retry the batch.
 */
export function createPgEventSink(options: PgEventSinkOptions): EventSink {
  const { pool, logger } = options;

  const insert = async (events: readonly RoutedEvent[]): Promise<Set<string>> => {
    const { rows } = await pool.query<{ event_id: string }>(INSERT_BATCH, batchParameters(events));
    return new Set(rows.map((r) => r.event_id));
  };

  /** Writes `events`; returns the ids inserted, or per-event rejections found by bisection. */
  const write = async (
    events: readonly RoutedEvent[],
    rejected: Map<string, string>,
  ): Promise<Set<string>> => {
    try {
      return await insert(events);
    } catch (error) {
      if (!isDataError(error)) throw unavailable(error, "Could not write events");
      if (events.length === 1) {
        rejected.set(events[0]!.audit.eventId, `${(error as Error).message} (SQLSTATE ${sqlState(error)})`);
        return new Set();
      }
      const middle = Math.ceil(events.length / 2);
      const left = await write(events.slice(0, middle), rejected);
      const right = await write(events.slice(middle), rejected);
      return new Set([...left, ...right]);
    }
  };

  return {
    async write(events) {
      if (events.length === 0) return [];
      const rejected = new Map<string, string>();
      const inserted = await write(events, rejected);
      if (rejected.size > 0) logger?.warn("database rejected events", { count: rejected.size });
      const seen = new Set<string>();
      return events.map((event): SinkOutcome => {
        const id = event.audit.eventId;
        const reason = rejected.get(id);
        if (reason !== undefined) return { status: "rejected", reason };
        const first = !seen.has(id);
        seen.add(id);
        return first && inserted.has(id) ? { status: "recorded" } : { status: "duplicate" };
      });
    },
  };
}
