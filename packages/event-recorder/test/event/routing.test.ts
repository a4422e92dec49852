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

  it.each([
    ["2018-02-10 12:00:00", "2018-02-10T12:00:00.000Z"],
    ["2018-02-10", "2018-02-10T00:00:00.000Z"],
    ["2018-02-10T12:00", "2018-02-10T12:00:00.000Z"],
    ["2018-02-10T12:00:00Z", "2018-02-10T12:00:00.000Z"],
    ["2018-02-10T12:00:00+01", "2018-02-10T11:00:00.000Z"],
    ["2018-02-10T12:00:00-0130", "2018-02-10T13:30:00.000Z"],
    ["2018-02-10 12:00:00.123456+01:00", "2018-02-10T11:00:00.123Z"],
  ])("accepts %s as the old service did", (text, utc) => {
    expect(parse(auditEvent({ timestamp: text })).audit.timestamp.toISOString()).toBe(utc);
  });

  it.each(["2026-02-30", "2018-02-10T25:00:00", "2018-02-10T", "10/02/2018", "", "2018-02-10T12:00:00+1"])(
    "refuses %j",
    (text) => {
      expect(() => parse(auditEvent({ timestamp: text }))).toThrow(
        expect.objectContaining({ code: "INVALID_EVENT" }),
      );
    },
  );

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

  it("routes fraud as the producers send it (session_event + fraud_detected), not by event type", () => {
    const event = fraudEvent();
    expect(parse({ ...event, details: { ...event.details, request_id: null } }).fraud?.requestId).toBeNull();
    const byType = parse({ ...event, eventType: "fraud_detected" });
    expect(byType.fraud).toBeUndefined();
    expect(byType.billing).toBeUndefined();
    expect(() => parse({ ...event, sessionId: null })).toThrow(
      expect.objectContaining({ code: "INVALID_EVENT" }),
    );
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
