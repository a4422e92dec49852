import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastDetails, fastParseAuditEvent } from "../../src/event/fast-parse.js";
import { auditEventSchema } from "../../src/event/schema.js";

const oddText = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.string({ minLength: 250, maxLength: 260 }),
  fc.constantFrom("", "error_event", "session_event", "fraud_detected"),
);
const value = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const timestamp = fc.oneof(
  fc.integer({ min: -9e15, max: 9e15 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace("Z", "+05:30")),
  fc.constantFrom("2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T25:00:00Z", "yesterday"),
  value,
);
const candidate = fc.record(
  {
    eventId: fc.oneof(fc.uuid(), value),
    eventType: fc.oneof(fc.constantFrom("session_event", "error_event", "fraud_detected"), value),
    timestamp,
    originatingService: fc.oneof(fc.constant("svc"), value),
    sessionId: fc.oneof(fc.uuid(), fc.constant(null), value),
    details: fc.oneof(fc.dictionary(fc.string(), value, { maxKeys: 3 }), value),
    extra: value,
  },
  { requiredKeys: [] },
);

describe("fast parse", () => {
  it("accepts only what the zod schema accepts, and returns the same event (property)", () => {
    fc.assert(
      fc.property(fc.oneof(candidate, value), (input) => {
        const fast = fastParseAuditEvent(input);
        const slow = auditEventSchema.safeParse(input);
        if (fast !== undefined) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        } else if (slow.success) {
          // Declining is always safe (zod decides), but the fast path should not decline valid events.
          throw new Error(`fast path declined a valid event: ${JSON.stringify(input)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("checks detail fields as the routing schemas do", () => {
    expect(fastDetails({ a: "x", b: null }, ["a"], ["b"])).toEqual({ a: "x", b: null });
    expect(fastDetails({ a: "" }, ["a"], [])).toEqual({ a: "" });
    expect(fastDetails({ a: null }, ["a"], [])).toBeUndefined();
    expect(fastDetails({ a: "x", b: 3 }, ["a"], ["b"])).toBeUndefined();
    expect(fastDetails({ a: "x".repeat(2049) }, ["a"], [])).toBeUndefined();
  });
});
