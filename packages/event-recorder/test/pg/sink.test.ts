import { parseEvent } from "@portside/event-recorder";
import { createPgEventReader, createPgEventSink } from "@portside/event-recorder/pg";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { auditEvent, billingEvent, fraudEvent } from "../fixtures.js";

import { recorderDatabases, useRecorderDatabase } from "./databases.js";

describe.each(recorderDatabases)("on $label", ({ create }) => {
  const state = useRecorderDatabase(create);
  const routed = (event: unknown) => parseEvent(JSON.stringify(event));
  const countRows = async (table: string, eventId: string) =>
    Number(
      (await state.pool.query(`SELECT count(*) AS n FROM ${table} WHERE event_id = $1`, [eventId])).rows[0].n,
    );

  describe("PostgreSQL sink", () => {
    it("writes audit rows for every event and billing or fraud rows beside them", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const a = auditEvent({ timestamp: "2026-01-02T03:04:05.678+01:00" });
      const b = billingEvent();
      const f = fraudEvent();
      expect(await sink.write([a, b, f].map(routed))).toEqual([
        { status: "recorded" },
        { status: "recorded" },
        { status: "recorded" },
      ]);
      const audit = await state.pool.query("SELECT * FROM audit.audit_events WHERE event_id = $1", [
        a.eventId,
      ]);
      expect(audit.rows[0]).toMatchObject({
        event_type: "session_event",
        originating_service: "saml-engine",
        session_id: a.sessionId,
        details: a.details,
      });
      expect((audit.rows[0].time_stamp as Date).toISOString()).toBe("2026-01-02T02:04:05.678Z");
      const billing = await state.pool.query("SELECT * FROM billing.billing_events WHERE event_id = $1", [
        b.eventId,
      ]);
      expect(billing.rows[0]).toMatchObject({
        hashed_persistent_id: "hashed-pid",
        request_id: "request-1",
        idp_entity_id: "https://idp.example",
        minimum_level_of_assurance: "LEVEL_1",
        preferred_level_of_assurance: "LEVEL_2",
        provided_level_of_assurance: "LEVEL_2",
        transaction_entity_id: "https://rp.example",
        session_id: b.sessionId,
      });
      const fraud = await state.pool.query("SELECT * FROM billing.fraud_events WHERE event_id = $1", [
        f.eventId,
      ]);
      expect(fraud.rows[0]).toMatchObject({
        hashed_persistent_id: "hashed-pid",
        entity_id: "https://idp.example",
        fraud_event_id: "fraud-1",
        fraud_indicator: "IT01",
        request_id: "request-2",
      });
      expect(await countRows("billing.billing_events", a.eventId)).toBe(0);
      expect(await countRows("billing.fraud_events", b.eventId)).toBe(0);
    });

    it("records a redelivered or repeated event once and reports it as a duplicate, not an error", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const b = billingEvent();
      await sink.write([routed(b)]);
      expect(await sink.write([routed(b), routed(b)])).toEqual([
        { status: "duplicate" },
        { status: "duplicate" },
      ]);
      const c = billingEvent();
      expect(await sink.write([routed(c), routed(c)])).toEqual([
        { status: "recorded" },
        { status: "duplicate" },
      ]);
      expect(await countRows("audit.audit_events", b.eventId)).toBe(1);
      expect(await countRows("billing.billing_events", c.eventId)).toBe(1);
    });

    it("rejects only the event the database refuses, writing none of its rows and all of its neighbours'", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const neighbours = Array.from({ length: 9 }, () => billingEvent());
      const poison = billingEvent();
      (poison.details as Record<string, unknown>).request_id = "nul\u0000byte";
      const batch = [...neighbours.slice(0, 4), poison, ...neighbours.slice(4)];
      const outcomes = await sink.write(batch.map(routed));
      expect(outcomes[4]).toMatchObject({
        status: "rejected",
        reason: expect.stringContaining("SQLSTATE 22"),
      });
      expect(outcomes.filter((o) => o.status === "recorded")).toHaveLength(9);
      expect(await countRows("audit.audit_events", poison.eventId)).toBe(0);
      expect(await countRows("billing.billing_events", poison.eventId)).toBe(0);
      for (const n of neighbours) expect(await countRows("billing.billing_events", n.eventId)).toBe(1);
    });

    it("rejects only an event it cannot serialise (a circular details object), recording its neighbours", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const events = [auditEvent(), auditEvent(), auditEvent()].map(routed);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      events[1]!.audit.details = circular;
      const outcomes = await sink.write(events);
      expect(outcomes.map((o) => o.status)).toEqual(["recorded", "rejected", "recorded"]);
      expect(outcomes[1]).toMatchObject({ reason: expect.stringContaining("cannot be serialised") });
    });

    it("writes a batch chunk by chunk in one transaction: isolating rows, a refused row spares the rest; rollback keeps nothing", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const events = Array.from({ length: 7 }, () => billingEvent());
      (events[5]!.details as Record<string, unknown>).pid = "nul\u0000byte";
      const fast = await sink.openBatch!();
      await fast.write(events.slice(0, 3).map(routed));
      await expect(fast.write(events.slice(3).map(routed))).rejects.toMatchObject({ code: "ROWS_REJECTED" });
      await fast.rollback();
      expect(await countRows("audit.audit_events", events[0]!.eventId)).toBe(0);

      const batch = await sink.openBatch!({ isolateRows: true });
      const first = await batch.write(events.slice(0, 3).map(routed));
      const second = await batch.write([...events.slice(3), events[0]!].map(routed));
      expect(first.map((o) => o.status)).toEqual(["recorded", "recorded", "recorded"]);
      expect(second.map((o) => o.status)).toEqual([
        "recorded",
        "recorded",
        "rejected",
        "recorded",
        "duplicate",
      ]);
      // Not visible to others before the commit.
      expect(await countRows("audit.audit_events", events[0]!.eventId)).toBe(0);
      await batch.commit();
      expect(await countRows("audit.audit_events", events[0]!.eventId)).toBe(1);
      expect(await countRows("audit.audit_events", events[5]!.eventId)).toBe(0);
      expect(await countRows("billing.billing_events", events[6]!.eventId)).toBe(1);

      const abandoned = billingEvent();
      const rolledBack = await sink.openBatch!();
      await rolledBack.write([routed(abandoned)]);
      await rolledBack.rollback();
      expect(await countRows("audit.audit_events", abandoned.eventId)).toBe(0);
      expect(await countRows("billing.billing_events", abandoned.eventId)).toBe(0);
    });

    it("throws SINK_UNAVAILABLE, writing nothing, when the database cannot be reached", async () => {
      const down = new pg.Pool({
        connectionString: "postgres://postgres@127.0.0.1:1/none",
        connectionTimeoutMillis: 1000,
      });
      try {
        await expect(createPgEventSink({ pool: down }).write([routed(auditEvent())])).rejects.toMatchObject({
          name: "RecorderError",
          code: "SINK_UNAVAILABLE",
        });
        await expect(createPgEventSink({ pool: down }).openBatch!()).rejects.toMatchObject({
          code: "SINK_UNAVAILABLE",
        });
      } finally {
        await down.end();
      }
    });
  });

  describe("PostgreSQL reader", () => {
    it("finds an event by id with its billing row, and pages by session, type and time range", async () => {
      const sink = createPgEventSink({ pool: state.pool });
      const reader = createPgEventReader({ pool: state.pool });
      const sessionId = "reader-session";
      const events = Array.from({ length: 7 }, (_, i) =>
        auditEvent({ sessionId, timestamp: Date.UTC(2026, 0, 1, 0, i), eventType: i % 2 ? "odd" : "even" }),
      );
      const billed = billingEvent({ sessionId, timestamp: Date.UTC(2026, 0, 1, 0, 3) });
      await sink.write([...events, billed].map(routed));

      expect(await reader.getEvent(billed.eventId)).toMatchObject({
        eventId: billed.eventId,
        billing: { hashedPersistentId: "hashed-pid", preferredLevelOfAssurance: "LEVEL_2" },
      });
      expect(await reader.getEvent("missing")).toBeNull();

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.listEvents({ sessionId, limit: 3, cursor });
        seen.push(...page.items.map((e) => e.eventId));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(8);
      expect(new Set(seen).size).toBe(8);

      const odd = await reader.listEvents({
        sessionId,
        eventType: "odd",
        from: new Date(Date.UTC(2026, 0, 1, 0, 2)),
        to: new Date(Date.UTC(2026, 0, 1, 0, 5)),
      });
      expect(odd.items.map((e) => e.timestamp.getUTCMinutes())).toEqual([3]);
      expect(odd.next).toBeUndefined();
      await expect(reader.listEvents({ cursor: "garbage" })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
      });
    });
  });
});
