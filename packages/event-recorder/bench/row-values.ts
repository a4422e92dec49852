import type { RoutedEvent } from "../src/index.js";

/** A column's value as the baselines send it: text, or null. */
export type Cell = string | null;

/** The baselines' tables, each with its columns in the order of `rowValues`. */
export const TABLES = {
  audit: {
    name: "audit.audit_events",
    columns: "event_id, event_type, time_stamp, originating_service, session_id, details",
  },
  billing: {
    name: "billing.billing_events",
    columns:
      "event_id, time_stamp, session_id, hashed_persistent_id, request_id, idp_entity_id, minimum_level_of_assurance, preferred_level_of_assurance, provided_level_of_assurance, transaction_entity_id",
  },
  fraud: {
    name: "billing.fraud_events",
    columns:
      "event_id, time_stamp, session_id, hashed_persistent_id, entity_id, fraud_event_id, fraud_indicator, request_id, transaction_entity_id",
  },
} as const;

/** An event's rows as the baselines write them: its audit row, and its billing or fraud row. */
export function rowValues({ audit: a, billing: b, fraud: f }: RoutedEvent): {
  audit: Cell[];
  billing?: Cell[];
  fraud?: Cell[];
} {
  return {
    audit: [
      a.eventId,
      a.eventType,
      a.timestamp.toISOString(),
      a.originatingService,
      a.sessionId,
      JSON.stringify(a.details),
    ],
    billing: b && [
      b.eventId,
      b.timestamp.toISOString(),
      b.sessionId,
      b.hashedPersistentId,
      b.requestId,
      b.idpEntityId,
      b.minimumLevelOfAssurance,
      b.preferredLevelOfAssurance,
      b.providedLevelOfAssurance,
      b.transactionEntityId,
    ],
    fraud: f && [
      f.eventId,
      f.timestamp.toISOString(),
      f.sessionId,
      f.hashedPersistentId,
      f.entityId,
      f.fraudEventId,
      f.fraudIndicator,
      f.requestId,
      f.transactionEntityId,
    ],
  };
}
