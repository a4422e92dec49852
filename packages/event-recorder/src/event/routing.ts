import { z } from "zod";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { fastDetails, fastParseAuditEvent } from "./fast-parse.js";
import { type AuditEvent, auditEventSchema } from "./schema.js";

/** Row of `audit.audit_events`: every event. */
export interface AuditRow {
  eventId: string;
  eventType: string;
  timestamp: Date;
  originatingService: string;
  /** NULL when the producer sent none (`error_event` only). */
  sessionId: string | null;
  /** NULL when the producer sent none. */
  details: Record<string, unknown> | null;
}

/** Row of `billing.billing_events`: a `session_event` whose `session_event_type` is `idp_authn_succeeded`. */
export interface BillingRow {
  eventId: string;
  timestamp: Date;
  sessionId: string;
  hashedPersistentId: string;
  requestId: string;
  idpEntityId: string;
  minimumLevelOfAssurance: string;
  preferredLevelOfAssurance: string | null;
  providedLevelOfAssurance: string;
  transactionEntityId: string | null;
}

/** Row of `billing.fraud_events`: a `session_event` whose `session_event_type` is `fraud_detected`. */
export interface FraudRow {
  eventId: string;
  timestamp: Date;
  sessionId: string;
  hashedPersistentId: string;
  entityId: string;
  fraudEventId: string;
  fraudIndicator: string;
  requestId: string | null;
  transactionEntityId: string;
}

/** One event and every row it becomes: written together or not at all. */
export interface RoutedEvent {
  audit: AuditRow;
  billing?: BillingRow;
  fraud?: FraudRow;
}

const text = z.string().max(2048);

const billingDetails = z.object({
  pid: text,
  request_id: text,
  idp_entity_id: text,
  minimum_level_of_assurance: text,
  preferred_level_of_assurance: text.nullish(),
  provided_level_of_assurance: text,
  transaction_entity_id: text.nullish(),
});

const fraudDetails = z.object({
  pid: text,
  idp_entity_id: text,
  idp_fraud_event_id: text,
  gpg45_status: text,
  request_id: text.nullish(),
  transaction_entity_id: text,
});

const BILLING_REQUIRED = [
  "pid",
  "request_id",
  "idp_entity_id",
  "minimum_level_of_assurance",
  "provided_level_of_assurance",
] as const;
const BILLING_NULLABLE = ["preferred_level_of_assurance", "transaction_entity_id"] as const;
const FRAUD_REQUIRED = [
  "pid",
  "idp_entity_id",
  "idp_fraud_event_id",
  "gpg45_status",
  "transaction_entity_id",
] as const;
const FRAUD_NULLABLE = ["request_id"] as const;

/** Larger plaintexts are refused: no producer sends them (SQS carried 256 KiB) and they bloat every index page. */
export const MAX_EVENT_CHARACTERS = 256 * 1024;
/** Deeper `details` are refused: serialisers (and PostgreSQL's jsonb) recurse, and no audit record nests so. */
export const MAX_DETAILS_DEPTH = 64;

function depthExceeds(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (depthExceeds(child, limit - 1)) return true;
  }
  return false;
}

function parseDetails<T extends z.ZodType>(schema: T, event: AuditEvent): z.output<T> {
  const parsed = schema.safeParse(event.details ?? {});
  if (!parsed.success) throw invalid(parsed.error, ["details"]);
  return parsed.data;
}

/** The event types the recorder routes to their own tables. */
export const EventRoute = {
  sessionEvent: "session_event",
  idpAuthnSucceeded: "idp_authn_succeeded",
  fraudDetected: "fraud_detected",
} as const;

function invalid(error: z.ZodError, prefix: string[] = []): RecorderError {
  const issues = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  return new RecorderError(
    RecorderErrorCode.invalidEvent,
    `Invalid event: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    { issues },
  );
}

/** Routes a parsed event to its rows, throwing `INVALID_EVENT` when a routed row would be invalid. */
export function routeEvent(event: AuditEvent): RoutedEvent {
  // The parsed event has exactly the audit row's fields: no copy.
  const audit: AuditRow = event;
  const routed: RoutedEvent = { audit };
  if (event.eventType !== EventRoute.sessionEvent || !event.details) return routed;
  const kind = event.details.session_event_type;
  if (kind !== EventRoute.idpAuthnSucceeded && kind !== EventRoute.fraudDetected) return routed;
  if (event.sessionId === null) {
    throw new RecorderError(
      RecorderErrorCode.invalidEvent,
      `Invalid event: sessionId: Required for ${kind}`,
      {
        issues: [{ path: "sessionId", message: `Required for ${kind}` }],
      },
    );
  }
  const common = { eventId: event.eventId, timestamp: event.timestamp, sessionId: event.sessionId };
  if (kind === EventRoute.idpAuthnSucceeded) {
    const d =
      fastDetails(event.details, BILLING_REQUIRED, BILLING_NULLABLE) ?? parseDetails(billingDetails, event);
    routed.billing = {
      ...common,
      hashedPersistentId: d.pid,
      requestId: d.request_id,
      idpEntityId: d.idp_entity_id,
      minimumLevelOfAssurance: d.minimum_level_of_assurance,
      preferredLevelOfAssurance: d.preferred_level_of_assurance ?? null,
      providedLevelOfAssurance: d.provided_level_of_assurance,
      transactionEntityId: d.transaction_entity_id ?? null,
    };
  } else {
    const d = fastDetails(event.details, FRAUD_REQUIRED, FRAUD_NULLABLE) ?? parseDetails(fraudDetails, event);
    routed.fraud = {
      ...common,
      hashedPersistentId: d.pid,
      entityId: d.idp_entity_id,
      fraudEventId: d.idp_fraud_event_id,
      fraudIndicator: d.gpg45_status,
      requestId: d.request_id ?? null,
      transactionEntityId: d.transaction_entity_id,
    };
  }
  return routed;
}

/** Plaintext JSON to routed rows: `NOT_JSON` or `INVALID_EVENT` on failure. */
export function parseEvent(plaintext: string): RoutedEvent {
  if (plaintext.length > MAX_EVENT_CHARACTERS) {
    throw new RecorderError(
      RecorderErrorCode.invalidEvent,
      `Event has ${plaintext.length} characters, more than ${MAX_EVENT_CHARACTERS}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(plaintext);
  } catch (error) {
    throw new RecorderError(RecorderErrorCode.notJson, "Decrypted body is not JSON", { cause: error });
  }
  const fast = fastParseAuditEvent(json);
  let event: AuditEvent;
  if (fast) event = fast;
  else {
    const parsed = auditEventSchema.safeParse(json);
    if (!parsed.success) throw invalid(parsed.error);
    event = parsed.data;
  }
  if (depthExceeds(event.details, MAX_DETAILS_DEPTH)) {
    throw new RecorderError(
      RecorderErrorCode.invalidEvent,
      `Invalid event: details: nested deeper than ${MAX_DETAILS_DEPTH} levels`,
      { issues: [{ path: "details", message: `Nested deeper than ${MAX_DETAILS_DEPTH} levels` }] },
    );
  }
  return routeEvent(event);
}
