import {
  createKeyring,
  createRecorder,
  createSqsBatchHandler,
  encryptLegacy,
  encryptV2,
  rawKey,
} from "@portside/event-recorder";
import { createPgEventSink, createPgQuarantineStore } from "@portside/event-recorder/pg";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { auditEvent, billingEvent, fraudEvent, legacyKey, v2Key } from "../fixtures.js";

import { recorderDatabases, useRecorderDatabase } from "./databases.js";

describe.each(recorderDatabases)("on $label", ({ create }) => {
  const state = useRecorderDatabase(create);
  const keyring = createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key) } });
  const record = (messageId: string, body: string) => ({
    messageId,
    body,
    attributes: { ApproximateReceiveCount: "1" },
  });

  describe("Lambda SQS handler on PostgreSQL", () => {
    it("acknowledges recorded, duplicate and quarantined messages, keeping poison with its reason", async () => {
      const quarantine = createPgQuarantineStore({ pool: state.pool });
      const recorder = createRecorder({ keyring, sink: createPgEventSink({ pool: state.pool }), quarantine });
      const handler = createSqsBatchHandler(recorder);
      const billed = billingEvent();
      const fraud = fraudEvent();
      const brokenBilling = billingEvent();
      delete (brokenBilling.details as Record<string, unknown>).idp_entity_id;
      const response = await handler({
        Records: [
          record("m1", encryptLegacy(JSON.stringify(billed), legacyKey)),
          record("m2", encryptV2(JSON.stringify(fraud), "k1", v2Key)),
          record("m3", encryptLegacy(JSON.stringify(billed), legacyKey)),
          record("m4", "this is not base64"),
          record("m5", encryptLegacy("{ not json", legacyKey)),
          record("m6", encryptLegacy(JSON.stringify(brokenBilling), legacyKey)),
        ],
      });
      expect(response).toEqual({ batchItemFailures: [] });
      const { rows } = await state.pool.query("SELECT event_id FROM audit.audit_events ORDER BY event_id");
      expect(rows.map((r) => r.event_id)).toEqual([billed.eventId, fraud.eventId].sort());
      const { rows: invalidRows } = await state.pool.query(
        "SELECT count(*)::int AS n FROM audit.audit_events WHERE event_id = $1",
        [brokenBilling.eventId],
      );
      expect(invalidRows[0].n).toBe(0);
      const listed = await quarantine.list();
      expect(listed.items.map((q) => [q.messageId, q.reason])).toEqual([
        ["m4", "UNDECRYPTABLE"],
        ["m5", "NOT_JSON"],
        ["m6", "INVALID_EVENT"],
      ]);
      expect(listed.items[2]).toMatchObject({
        detail: expect.stringContaining("details.idp_entity_id"),
        attempts: 1,
      });
      expect(recorder.counters()).toEqual({
        received: 6,
        recorded: 2,
        duplicates: 1,
        quarantined: 3,
        retried: 0,
      });

      // SQS redelivers the whole batch (say the response was lost): nothing doubles, nothing fails.
      const again = await handler({
        Records: [
          record("m1", encryptLegacy(JSON.stringify(billed), legacyKey)),
          record("m4", "this is not base64"),
        ],
      });
      expect(again).toEqual({ batchItemFailures: [] });
      expect((await quarantine.list()).items).toHaveLength(3);
    });

    it("streams a large batch in chunks yet commits it whole, with poison, a refused row and duplicates across chunks", async () => {
      const quarantine = createPgQuarantineStore({ pool: state.pool });
      const recorder = createRecorder({
        keyring,
        sink: createPgEventSink({ pool: state.pool }),
        quarantine,
        chunkSize: 4,
      });
      const events = Array.from({ length: 10 }, (_, i) => (i % 3 ? auditEvent() : billingEvent()));
      const bodies = events.map((e) => encryptLegacy(JSON.stringify(e), legacyKey));
      const refused = auditEvent({ details: { note: "nul\u0000byte" } });
      const { results, retryIds } = await recorder.recordBatch([
        ...bodies.slice(0, 6).map((body, i) => ({ id: `c${i}`, body })),
        { id: "c-refused", body: encryptLegacy(JSON.stringify(refused), legacyKey) },
        ...bodies.slice(6).map((body, i) => ({ id: `c${i + 6}`, body })),
        { id: "c-poison", body: "QUFBQQ==" },
        { id: "c-dup", body: bodies[2]! },
      ]);
      expect(retryIds).toEqual([]);
      expect(results.filter((r) => r.status === "recorded")).toHaveLength(10);
      expect(results.find((r) => r.id === "c-refused")).toMatchObject({
        status: "quarantined",
        reason: "REJECTED_BY_SINK",
      });
      expect(results.slice(-2).map((r) => r.status)).toEqual(["quarantined", "duplicate"]);
      expect(recorder.counters()).toMatchObject({
        recorded: 10,
        duplicates: 1,
        quarantined: 2,
        received: 13,
      });
      const { rows } = await state.pool.query(
        "SELECT count(*)::int AS n FROM audit.audit_events WHERE event_id = ANY($1)",
        [events.map((e) => e.eventId)],
      );
      expect(rows[0].n).toBe(10);
    });

    it("names for retry only the messages a down database could not take, quarantining poison anyway", async () => {
      const down = new pg.Pool({
        connectionString: "postgres://postgres@127.0.0.1:1/none",
        connectionTimeoutMillis: 500,
      });
      const quarantine = createPgQuarantineStore({ pool: state.pool });
      const handler = createSqsBatchHandler(
        createRecorder({ keyring, sink: createPgEventSink({ pool: down }), quarantine }),
      );
      try {
        const response = await handler({
          Records: [
            record("d1", encryptLegacy(JSON.stringify(auditEvent()), legacyKey)),
            record("d2", "AAAA"),
            record("d3", encryptLegacy(JSON.stringify(auditEvent()), legacyKey)),
          ],
        });
        expect(response.batchItemFailures).toEqual([{ itemIdentifier: "d1" }, { itemIdentifier: "d3" }]);
        expect((await quarantine.list({ limit: 1000 })).items.map((q) => q.messageId)).toContain("d2");
      } finally {
        await down.end();
      }
    });

    it("replays quarantined messages from the table once the key is configured, keeping body and reason", async () => {
      const quarantine = createPgQuarantineStore({ pool: state.pool });
      const sink = createPgEventSink({ pool: state.pool });
      const rotated = Buffer.alloc(32, 5);
      const event = auditEvent();
      const body = encryptV2(JSON.stringify(event), "k2", rotated);
      await createSqsBatchHandler(createRecorder({ keyring, sink, quarantine }))({
        Records: [record("r1", body)],
      });
      const entry = (await quarantine.list({ limit: 1000 })).items.find((q) => q.messageId === "r1")!;
      expect(entry).toMatchObject({ body, reason: "UNDECRYPTABLE" });

      const fixed = createRecorder({
        keyring: createKeyring({
          legacy: rawKey(legacyKey),
          keys: { k1: rawKey(v2Key), k2: rawKey(rotated) },
        }),
        sink,
        quarantine,
      });
      const result = await fixed.replay(quarantine, { ids: [entry.id] });
      expect(result).toEqual({ replayed: [entry.id], failed: [] });
      expect(
        (await state.pool.query("SELECT 1 FROM audit.audit_events WHERE event_id = $1", [event.eventId]))
          .rowCount,
      ).toBe(1);
      const after = await quarantine.get(entry.id);
      expect(after).toMatchObject({ body, reason: "UNDECRYPTABLE", messageId: "r1" });
      expect(after?.replayedAt).toBeInstanceOf(Date);
      expect((await quarantine.list({ limit: 1000 })).items.map((q) => q.id)).not.toContain(entry.id);
      expect(
        (await quarantine.list({ limit: 1000, includeReplayed: true })).items.map((q) => q.id),
      ).toContain(entry.id);
    });
  });
});
