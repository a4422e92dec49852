import type { AuditEvent } from "./schema.js";
import { isPlainObject, toTimestamp } from "./schema.js";

const text = (value: unknown, max: number): value is string =>
  typeof value === "string" && value.length >= 1 && value.length <= max;

/**
 * The schema's happy path without zod's generic machinery: returns exactly what
 * `auditEventSchema` would for a valid event, or `undefined` to let zod parse it (and name
 * what is wrong). A property test holds the two to the same answers.
 */
export function fastParseAuditEvent(json: unknown): AuditEvent | undefined {
  if (!isPlainObject(json)) return undefined;
  const { eventId, eventType, originatingService, sessionId, details } = json;
  if (!text(eventId, 255) || !text(eventType, 255) || !text(originatingService, 255)) return undefined;
  if (
    sessionId === undefined
      ? eventType !== "error_event"
      : typeof sessionId !== "string" || sessionId.length > 255
  ) {
    return undefined;
  }
  if (details !== undefined && !isPlainObject(details)) return undefined;
  const timestamp = toTimestamp(json.timestamp);
  if (!timestamp) return undefined;
  return {
    eventId,
    eventType,
    timestamp,
    originatingService,
    sessionId: (sessionId as string | undefined) ?? "",
    details: details ?? {},
  };
}

/** Required detail fields are strings of 1 to 2048 characters; optional ones may also be null or absent. */
export function fastDetails<R extends string, O extends string>(
  details: Record<string, unknown>,
  required: readonly R[],
  optional: readonly O[],
): ({ [K in R]: string } & { [K in O]?: string | null }) | undefined {
  for (const key of required) if (!text(details[key], 2048)) return undefined;
  for (const key of optional) {
    const value = details[key];
    if (value !== undefined && value !== null && !text(value, 2048)) return undefined;
  }
  return details as { [K in R]: string } & { [K in O]?: string | null };
}
