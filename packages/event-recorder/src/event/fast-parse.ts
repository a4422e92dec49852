import type { AuditEvent } from "./schema.js";
import { isPlainObject, toTimestamp } from "./schema.js";

const text = (value: unknown, min: number, max: number): value is string =>
  typeof value === "string" && value.length >= min && value.length <= max;

/**
 * The schema's happy path without zod's generic machinery: returns exactly what
 * `auditEventSchema` would for a valid event, or `undefined` to let zod parse it (and name
 * what is wrong). A property test holds the two to the same answers.
 */
export function fastParseAuditEvent(json: unknown): AuditEvent | undefined {
  if (!isPlainObject(json)) return undefined;
  const { eventId, eventType, originatingService, sessionId, details } = json;
  if (!text(eventId, 1, 255) || !text(eventType, 1, 255) || !text(originatingService, 0, 255)) {
    return undefined;
  }
  if (
    sessionId == null ? eventType !== "error_event" : typeof sessionId !== "string" || sessionId.length > 255
  ) {
    return undefined;
  }
  if (details != null && !isPlainObject(details)) return undefined;
  const timestamp = toTimestamp(json.timestamp);
  if (!timestamp) return undefined;
  return {
    eventId,
    eventType,
    timestamp,
    originatingService,
    sessionId: (sessionId as string | null | undefined) ?? null,
    details: (details as Record<string, unknown> | null | undefined) ?? null,
  };
}

/**
 * Required detail fields are strings of up to 2048 characters (empty allowed, as the old
 * columns allowed); nullable ones may also be null or absent.
 */
export function fastDetails<R extends string, O extends string>(
  details: Record<string, unknown>,
  required: readonly R[],
  nullable: readonly O[],
): ({ [K in R]: string } & { [K in O]?: string | null }) | undefined {
  for (const key of required) if (!text(details[key], 0, 2048)) return undefined;
  for (const key of nullable) {
    const value = details[key];
    if (value != null && !text(value, 0, 2048)) return undefined;
  }
  return details as { [K in R]: string } & { [K in O]?: string | null };
}
