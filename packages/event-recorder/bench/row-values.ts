import type { RoutedEvent } from "../src/index.js";
import {
  AUDIT_COLUMNS,
  BILLING_COLUMNS,
  billingValues,
  columnNames,
  FRAUD_COLUMNS,
  fraudValues,
} from "../src/pg/event-rows.js";

/** A column's value as the baselines send it: text, or null. */
export type Cell = string | null;

/** The baselines' tables, each with its columns in the order of `rowValues` (the sink's own lists). */
export const TABLES = {
  audit: { name: "audit.audit_events", columns: columnNames(AUDIT_COLUMNS) },
  billing: { name: "billing.billing_events", columns: columnNames(BILLING_COLUMNS) },
  fraud: { name: "billing.fraud_events", columns: columnNames(FRAUD_COLUMNS) },
} as const;

/** An event's rows as the baselines write them: its audit row, and its billing or fraud row. */
export function rowValues({ audit: a, billing: b, fraud: f }: RoutedEvent): {
  audit: Cell[];
  billing?: Cell[];
  fraud?: Cell[];
} {
  const time = a.timestamp.toISOString();
  return {
    audit: [a.eventId, a.eventType, time, a.originatingService, a.sessionId, JSON.stringify(a.details)],
    ...(b && { billing: billingValues(b, time) }),
    ...(f && { fraud: fraudValues(f, time) }),
  };
}
