import type { RoutedEvent } from "../event/routing.js";

/** The audit table's columns and their types, in the order rows carry their values. */
export const AUDIT_COLUMNS = `event_id text, event_type text, time_stamp timestamp, originating_service text,
  session_id text, details jsonb`;
/** The billing table's columns and their types, in the order of `billingValues`. */
export const BILLING_COLUMNS = `event_id text, time_stamp timestamp, session_id text, hashed_persistent_id text,
  request_id text, idp_entity_id text, minimum_level_of_assurance text, preferred_level_of_assurance text,
  provided_level_of_assurance text, transaction_entity_id text`;
/** The fraud table's columns and their types, in the order of `fraudValues`. */
export const FRAUD_COLUMNS = `event_id text, time_stamp timestamp, session_id text, hashed_persistent_id text,
  entity_id text, fraud_event_id text, fraud_indicator text, request_id text, transaction_entity_id text`;

/** `event_id, event_type, ...`: the names of a column list. */
export const columnNames = (columns: string) =>
  columns.replace(/\s+/g, " ").replace(/ (text|timestamp|jsonb|integer)/g, "");

/** A billing row's values, in the order of `BILLING_COLUMNS`. */
export function billingValues(b: NonNullable<RoutedEvent["billing"]>, time: string): (string | null)[] {
  return [
    b.eventId,
    time,
    b.sessionId,
    b.hashedPersistentId,
    b.requestId,
    b.idpEntityId,
    b.minimumLevelOfAssurance,
    b.preferredLevelOfAssurance,
    b.providedLevelOfAssurance,
    b.transactionEntityId,
  ];
}

/** A fraud row's values, in the order of `FRAUD_COLUMNS`. */
export function fraudValues(f: NonNullable<RoutedEvent["fraud"]>, time: string): (string | null)[] {
  return [
    f.eventId,
    time,
    f.sessionId,
    f.hashedPersistentId,
    f.entityId,
    f.fraudEventId,
    f.fraudIndicator,
    f.requestId,
    f.transactionEntityId,
  ];
}
