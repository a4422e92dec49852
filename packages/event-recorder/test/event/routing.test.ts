import { parseEvent } from "@portside/event-recorder";
import { describe, expect, it } from "vitest";
import { auditEvent, billingEvent, fraudEvent } from "../fixtures.js";

const parse = (event: unknown) => parseEvent(JSON.stringify(event));

describe("event schema", () => {
  it("accepts epoch milliseconds and ISO-8601 with or without an offset, as UTC", () => {
    expect(parse(auditEvent({ timestamp: 0 })).audit.timestamp.toISOString()).toBe(
      "1970-01-01T00:00:00.000Z",
    );
    expect(parse(auditEvent({ timestamp: "2026-03-01T12:00:00+02:00" })).audit.timestamp.toISOString()).toBe(
      "2026-03-01T10:00:00.000Z",
    );
    expect(parse(auditEvent({ timestamp: "2026-03-01T12:00:00.123" })).audit.timestamp.toISOString()).toBe(
      "2026-03-01T12:00:00.123Z",
    );
  });

  it("rejects timestamps that are neither, naming the field", () => {
    expect(() => parse(auditEvent({ timestamp: "yesterday" }))).toThrow(
      expect.objectContaining({
        code: "INVALID_EVENT",
        issues: [expect.objectContaining({ path: "timestamp" })],
      }),
    );
  });

  it("requires sessionId except on error_event, where null or absent is stored as NULL", () => {
    const { sessionId: _, ...withoutSession } = auditEvent();
    expect(() => parse(withoutSession)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "sessionId" })] }),
    );
    expect(parse({ ...withoutSession, eventType: "error_event" }).audit.sessionId).toBeNull();
    expect(
      parse({ ...withoutSession, sessionId: null, eventType: "error_event" }).audit.sessionId,
    ).toBeNull();
    expect(() => parse({ ...withoutSession, sessionId: null })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "sessionId" })] }),
    );
  });

  it("ignores extra top-level fields and keeps details whole", () => {
    const routed = parse({ ...auditEvent({ details: { nested: { a: [1, 2] } } }), extra: "dropped" });
    expect(routed.audit).not.toHaveProperty("extra");
    expect(routed.audit.details).toEqual({ nested: { a: [1, 2] } });
  });

  it("rejects plaintext that is not JSON with NOT_JSON and non-events with INVALID_EVENT", () => {
    expect(() => parseEvent("{nope")).toThrow(expect.objectContaining({ code: "NOT_JSON" }));
    expect(() => parseEvent("[1]")).toThrow(expect.objectContaining({ code: "INVALID_EVENT" }));
    expect(() => parse({ ...auditEvent(), details: "text" })).toThrow(
      expect.objectContaining({ code: "INVALID_EVENT" }),
    );
  });
});

describe("routing", () => {
  it("sends every event to audit only, unless it is billable or fraud", () => {
    const routed = parse(auditEvent({ eventType: "session_event" }));
    expect(routed.billing).toBeUndefined();
    expect(routed.fraud).toBeUndefined();
  });

  it("routes idp_authn_succeeded session events to billing with the mapped columns", () => {
    const event = billingEvent();
    const routed = parse(event);
    expect(routed.billing).toEqual({
      eventId: event.eventId,
      timestamp: new Date(1_700_000_000_000),
      sessionId: event.sessionId,
      hashedPersistentId: "hashed-pid",
      requestId: "request-1",
      idpEntityId: "https://idp.example",
      minimumLevelOfAssurance: "LEVEL_1",
      preferredLevelOfAssurance: "LEVEL_2",
      providedLevelOfAssurance: "LEVEL_2",
      transactionEntityId: "https://rp.example",
    });
  });

  it("treats preferred_level_of_assurance as optional and every other billing field as required", () => {
    const event = billingEvent();
    const { preferred_level_of_assurance: _, ...details } = event.details as Record<string, unknown>;
    expect(parse({ ...event, details }).billing?.preferredLevelOfAssurance).toBeNull();
    for (const field of [
      "pid",
      "request_id",
      "idp_entity_id",
      "minimum_level_of_assurance",
      "provided_level_of_assurance",
    ]) {
      const { [field]: _removed, ...rest } = event.details as Record<string, unknown>;
      expect(() => parse({ ...event, details: rest })).toThrow(
        expect.objectContaining({
          code: "INVALID_EVENT",
          issues: [expect.objectContaining({ path: `details.${field}` })],
        }),
      );
    }
  });

  it("routes fraud_detected events to fraud with renamed columns, rejecting an incomplete one whole", () => {
    const event = fraudEvent();
    expect(parse(event).fraud).toMatchObject({
      hashedPersistentId: "hashed-pid",
      entityId: "https://idp.example",
      fraudEventId: "fraud-1",
      fraudIndicator: "IT01",
      requestId: "request-2",
    });
    const { gpg45_status: _, ...rest } = event.details as Record<string, unknown>;
    expect(() => parse({ ...event, details: rest })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: "details.gpg45_status" })] }),
    );
  });
});
