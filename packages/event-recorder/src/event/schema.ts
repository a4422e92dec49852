import { z } from "zod";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds or an ISO-8601 date-time (no offset means UTC); `undefined` when neither. */
export function toTimestamp(value: unknown): Date | undefined {
  let date: Date;
  if (typeof value === "number") {
    date = new Date(value);
  } else if (typeof value === "string" && ISO_8601.test(value)) {
    const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
    date = new Date(hasOffset ? value : `${value}Z`);
  } else {
    return undefined;
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Epoch milliseconds or an ISO-8601 date-time (no offset means UTC). */
export const timestampSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const date = toTimestamp(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: "Expected epoch milliseconds or an ISO-8601 date-time" });
    return z.NEVER;
  }
  return date;
});

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Any JSON object, kept as is (checked, not copied key by key: details can be large). */
const detailsSchema = z.custom<Record<string, unknown>>(isPlainObject, { message: "Expected an object" });

/** The event producers send. Unknown top-level fields are dropped. */
export const auditEventSchema = z
  .object({
    eventId: z.string().min(1).max(255),
    eventType: z.string().min(1).max(255),
    timestamp: timestampSchema,
    originatingService: z.string().min(1).max(255),
    sessionId: z.string().max(255).optional(),
    details: detailsSchema.default({}),
  })
  .transform((event, ctx) => {
    if (event.sessionId === undefined && event.eventType !== "error_event") {
      ctx.addIssue({ code: "custom", path: ["sessionId"], message: "Required (except for error_event)" });
      return z.NEVER;
    }
    return { ...event, sessionId: event.sessionId ?? "" };
  });

export type AuditEvent = z.output<typeof auditEventSchema>;
/** What a producer writes before encryption. */
export type AuditEventInput = z.input<typeof auditEventSchema>;
