import { z } from "zod";
import { toTimestamp } from "./timestamp.js";

export { toTimestamp } from "./timestamp.js";

/** The formats the old service parsed: epoch milliseconds or ISO-8601 (see `toTimestamp`). */
export const timestampSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const date = toTimestamp(value);
  if (!date) {
    ctx.addIssue({
      code: "custom",
      message: "Expected epoch milliseconds or an ISO-8601 date or date-time (T or space separated)",
    });
    return z.NEVER;
  }
  return date;
});

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Any JSON object, kept as is (checked, not copied key by key: details can be large). */
const detailsSchema = z.custom<Record<string, unknown>>(isPlainObject, { message: "Expected an object" });

/**
 * The event producers send. Unknown top-level fields are dropped. `sessionId` may be null or
 * absent only on `error_event` (the producers' default there), and is then stored as NULL;
 * `details` null or absent is stored as NULL, as the old service did.
 */
export const auditEventSchema = z
  .object({
    eventId: z.string().min(1).max(255),
    eventType: z.string().min(1).max(255),
    timestamp: timestampSchema,
    originatingService: z.string().max(255),
    sessionId: z.string().max(255).nullish(),
    details: detailsSchema.nullish(),
  })
  .transform((event, ctx) => {
    if (event.sessionId == null && event.eventType !== "error_event") {
      ctx.addIssue({ code: "custom", path: ["sessionId"], message: "Required (except for error_event)" });
      return z.NEVER;
    }
    return { ...event, sessionId: event.sessionId ?? null, details: event.details ?? null };
  });

/** An audit event as the recorder stores it, after validation. */
export type AuditEvent = z.output<typeof auditEventSchema>;
/** What a producer writes before encryption. */
export type AuditEventInput = z.input<typeof auditEventSchema>;
