import { decodeCursor, encodeCursor, queryLimit } from "../memory/cursor.js";
import type { EventQuery, EventReader, Page, StoredEvent } from "../ports.js";
import { wallClock } from "./event-sink.js";
import { unavailable } from "./pg-errors.js";
import type { PgPool } from "./queryable.js";

interface EventRow {
  event_id: string;
  event_type: string;
  time_stamp: Date;
  originating_service: string;
  session_id: string | null;
  details: Record<string, unknown> | null;
  b_event_id: string | null;
  b_hashed_persistent_id: string;
  b_request_id: string;
  b_idp_entity_id: string;
  b_minimum_level_of_assurance: string;
  b_preferred_level_of_assurance: string | null;
  b_provided_level_of_assurance: string;
  b_transaction_entity_id: string | null;
  f_event_id: string | null;
  f_hashed_persistent_id: string;
  f_entity_id: string;
  f_fraud_event_id: string;
  f_fraud_indicator: string;
  f_request_id: string | null;
  f_transaction_entity_id: string;
}

const SELECT = `
SELECT a.event_id, a.event_type, a.time_stamp AT TIME ZONE 'UTC' AS time_stamp, a.originating_service, a.session_id, a.details,
  b.event_id AS b_event_id, b.hashed_persistent_id AS b_hashed_persistent_id, b.request_id AS b_request_id,
  b.idp_entity_id AS b_idp_entity_id, b.minimum_level_of_assurance AS b_minimum_level_of_assurance,
  b.preferred_level_of_assurance AS b_preferred_level_of_assurance,
  b.provided_level_of_assurance AS b_provided_level_of_assurance, b.transaction_entity_id AS b_transaction_entity_id,
  f.event_id AS f_event_id, f.hashed_persistent_id AS f_hashed_persistent_id, f.entity_id AS f_entity_id,
  f.fraud_event_id AS f_fraud_event_id, f.fraud_indicator AS f_fraud_indicator, f.request_id AS f_request_id,
  f.transaction_entity_id AS f_transaction_entity_id
FROM audit.audit_events a
LEFT JOIN billing.billing_events b ON b.event_id = a.event_id
LEFT JOIN billing.fraud_events f ON f.event_id = a.event_id`;

function toStored(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    eventId: row.event_id,
    eventType: row.event_type,
    timestamp: row.time_stamp,
    originatingService: row.originating_service,
    sessionId: row.session_id,
    details: row.details,
  };
  if (row.b_event_id !== null) {
    event.billing = {
      hashedPersistentId: row.b_hashed_persistent_id,
      requestId: row.b_request_id,
      idpEntityId: row.b_idp_entity_id,
      minimumLevelOfAssurance: row.b_minimum_level_of_assurance,
      preferredLevelOfAssurance: row.b_preferred_level_of_assurance,
      providedLevelOfAssurance: row.b_provided_level_of_assurance,
      transactionEntityId: row.b_transaction_entity_id,
    };
  }
  if (row.f_event_id !== null) {
    event.fraud = {
      hashedPersistentId: row.f_hashed_persistent_id,
      entityId: row.f_entity_id,
      fraudEventId: row.f_fraud_event_id,
      fraudIndicator: row.f_fraud_indicator,
      requestId: row.f_request_id,
      transactionEntityId: row.f_transaction_entity_id,
    };
  }
  return event;
}

/** `createPgEventReader({ pool })`: events by id, or by session, type and time range, oldest first, keyset-paginated. */
export function createPgEventReader(options: { pool: PgPool }): EventReader {
  const { pool } = options;
  return {
    async getEvent(eventId) {
      try {
        const { rows } = await pool.query<EventRow>(
          `${SELECT} WHERE a.event_id = $1 ORDER BY a.time_stamp LIMIT 1`,
          [eventId],
        );
        return rows[0] ? toStored(rows[0]) : null;
      } catch (error) {
        throw unavailable(error, "Could not read events");
      }
    },
    async listEvents(query: EventQuery = {}): Promise<Page<StoredEvent>> {
      const limit = queryLimit(query.limit);
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: (n: string) => string, value: unknown) => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (query.sessionId !== undefined) add((p) => `a.session_id = ${p}`, query.sessionId);
      if (query.eventType !== undefined) add((p) => `a.event_type = ${p}`, query.eventType);
      if (query.from) add((p) => `a.time_stamp >= ${p}::timestamp`, wallClock(query.from));
      if (query.to) add((p) => `a.time_stamp < ${p}::timestamp`, wallClock(query.to));
      if (query.cursor) {
        const after = decodeCursor(query.cursor);
        params.push(wallClock(after.time), after.eventId);
        where.push(`(a.time_stamp, a.event_id) > ($${params.length - 1}::timestamp, $${params.length})`);
      }
      params.push(limit + 1);
      const sql = `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY a.time_stamp, a.event_id LIMIT $${params.length}`;
      try {
        const { rows } = await pool.query<EventRow>(sql, params);
        const items = rows.slice(0, limit).map(toStored);
        const last = items[items.length - 1];
        return rows.length > limit && last
          ? { items, next: encodeCursor(last.timestamp, last.eventId) }
          : { items };
      } catch (error) {
        throw unavailable(error, "Could not read events");
      }
    },
  };
}
