import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEvent, type RoutedEvent } from "../event/routing.js";
import type { EventReader, EventSink } from "../ports.js";

/** What the event sink conformance suite runs against: the sink and a reader of what it wrote. */
export interface EventSinkFixture {
  sink: EventSink;
  reader: EventReader;
}

function routed(overrides: Record<string, unknown> = {}, details: Record<string, unknown> = {}): RoutedEvent {
  return parseEvent(
    JSON.stringify({
      eventId: randomUUID(),
      eventType: "session_event",
      timestamp: Date.UTC(2026, 0, 1),
      originatingService: "conformance",
      sessionId: randomUUID(),
      details: { session_event_type: "hub_request", ...details },
      ...overrides,
    }),
  );
}

const billingDetails = {
  session_event_type: "idp_authn_succeeded",
  pid: "pid",
  request_id: "req",
  idp_entity_id: "idp",
  minimum_level_of_assurance: "LEVEL_1",
  provided_level_of_assurance: "LEVEL_2",
  transaction_entity_id: "rp",
};

/**
 * The `EventSink` + `EventReader` contract every adapter passes: exactly-once writes with
 * duplicates reported, routed rows kept with their event, and keyset paging over (time, id).
 * `setup` is called once per test and should return a sink over empty storage.
 */
export function eventSinkConformance(name: string, setup: () => Promise<EventSinkFixture>): void {
  describe(`${name} event sink conformance`, () => {
    it("records new events and reports repeats, within and across batches, as duplicates", async () => {
      const { sink, reader } = await setup();
      const a = routed();
      const b = routed();
      expect(await sink.write([a, b, a])).toEqual([
        { status: "recorded" },
        { status: "recorded" },
        { status: "duplicate" },
      ]);
      expect(await sink.write([b])).toEqual([{ status: "duplicate" }]);
      expect(await sink.write([])).toEqual([]);
      const page = await reader.listEvents({ sessionId: a.audit.sessionId ?? undefined });
      expect(page.items.map((e) => e.eventId)).toEqual([a.audit.eventId]);
    });

    it("keeps billing and fraud rows with their event", async () => {
      const { sink, reader } = await setup();
      const billed = routed({}, billingDetails);
      const fraud = routed(
        {},
        {
          session_event_type: "fraud_detected",
          pid: "p",
          idp_entity_id: "i",
          idp_fraud_event_id: "f",
          gpg45_status: "IT01",
          request_id: "r",
          transaction_entity_id: "t",
        },
      );
      await sink.write([billed, fraud]);
      expect(await reader.getEvent(billed.audit.eventId)).toMatchObject({
        billing: { hashedPersistentId: "pid", preferredLevelOfAssurance: null, transactionEntityId: "rp" },
      });
      expect(await reader.getEvent(fraud.audit.eventId)).toMatchObject({
        fraud: { fraudEventId: "f", fraudIndicator: "IT01", entityId: "i" },
      });
      expect((await reader.getEvent(fraud.audit.eventId))?.billing).toBeUndefined();
      expect(await reader.getEvent(randomUUID())).toBeNull();
    });

    it("keeps an id recorded at another time as a new event, without billing it twice", async () => {
      const { sink, reader } = await setup();
      const first = routed({ timestamp: Date.UTC(2026, 0, 1) }, billingDetails);
      const later = routed(
        { eventId: first.audit.eventId, sessionId: first.audit.sessionId, timestamp: Date.UTC(2026, 0, 2) },
        { ...billingDetails, pid: "other" },
      );
      expect(await sink.write([first, later, later])).toEqual([
        { status: "recorded" },
        { status: "recorded" },
        { status: "duplicate" },
      ]);
      const page = await reader.listEvents({ sessionId: first.audit.sessionId ?? undefined });
      expect(page.items.map((e) => e.timestamp.toISOString())).toEqual([
        "2026-01-01T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
      ]);
      expect((await reader.getEvent(first.audit.eventId))?.billing?.hashedPersistentId).toBe("pid");
    });

    it("stores what the producers leave out as null", async () => {
      const { sink, reader } = await setup();
      const error = routed({ eventType: "error_event", sessionId: null, details: null });
      const billed = routed({}, { ...billingDetails, transaction_entity_id: null, request_id: "" });
      expect(await sink.write([error, billed])).toEqual([{ status: "recorded" }, { status: "recorded" }]);
      expect(await reader.getEvent(error.audit.eventId)).toMatchObject({ sessionId: null, details: null });
      expect((await reader.getEvent(billed.audit.eventId))?.billing).toMatchObject({
        transactionEntityId: null,
        requestId: "",
      });
    });

    it("pages oldest first by time then id, with type and time filters", async () => {
      const { sink, reader } = await setup();
      const sessionId = randomUUID();
      const events = Array.from({ length: 9 }, (_, i) =>
        routed({ sessionId, timestamp: Date.UTC(2026, 0, 1, 0, i % 3), eventType: i % 2 ? "odd" : "even" }),
      );
      await sink.write(events);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.listEvents({ sessionId, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => e.eventId));
        cursor = page.next;
      } while (cursor);
      const expected = [...events]
        .sort(
          (x, y) =>
            x.audit.timestamp.getTime() - y.audit.timestamp.getTime() ||
            (x.audit.eventId < y.audit.eventId ? -1 : 1),
        )
        .map((e) => e.audit.eventId);
      expect(seen).toEqual(expected);
      const filtered = await reader.listEvents({
        sessionId,
        eventType: "odd",
        from: new Date(Date.UTC(2026, 0, 1, 0, 1)),
        to: new Date(Date.UTC(2026, 0, 1, 0, 2)),
      });
      expect(filtered.items.every((e) => e.eventType === "odd" && e.timestamp.getUTCMinutes() === 1)).toBe(
        true,
      );
      expect(filtered.items.length).toBe(events.filter((_e, i) => i % 2 === 1 && i % 3 === 1).length);
    });
  });
}
