import {
  createKeyring,
  createMemoryEventSink,
  createMemoryQuarantineStore,
  createRecorder,
  createSqsBatchHandler,
  type EventSink,
  encryptLegacy,
  encryptV2,
  RecorderError,
  rawKey,
} from "@portside/event-recorder";
import { describe, expect, it } from "vitest";
import { auditEvent, billingEvent, legacyKey, v2Key } from "./fixtures.js";

const keyring = createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key) } });
const legacy = (event: unknown) => encryptLegacy(JSON.stringify(event), legacyKey);

function setup(sink: EventSink = createMemoryEventSink()) {
  const quarantine = createMemoryQuarantineStore();
  const logs: string[] = [];
  const recorder = createRecorder({
    keyring,
    sink,
    quarantine,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
      error: (msg, fields) => logs.push(JSON.stringify({ msg, ...fields })),
    },
  });
  return { recorder, quarantine, sink, logs };
}

describe("recorder", () => {
  it("records both formats, counts a redelivered event as a duplicate success, and quarantines poison", async () => {
    const sink = createMemoryEventSink();
    const { recorder, quarantine } = setup(sink);
    const a = auditEvent();
    const b = billingEvent();
    const { results, retryIds } = await recorder.recordBatch([
      { id: "1", body: legacy(a) },
      { id: "2", body: encryptV2(JSON.stringify(b), "k1", v2Key) },
      { id: "3", body: legacy(a) },
      { id: "4", body: "bm90IGEgdmFsaWQgYm9keQ==" },
      { id: "5", body: encryptLegacy("not json", legacyKey) },
      { id: "6", body: legacy({ ...a, eventId: undefined }) },
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "recorded",
      "recorded",
      "duplicate",
      "quarantined",
      "quarantined",
      "quarantined",
    ]);
    expect(retryIds).toEqual([]);
    expect(
      sink
        .all()
        .map((e) => e.eventId)
        .sort(),
    ).toEqual([a.eventId, b.eventId].sort());
    expect(quarantine.all().map((q) => [q.messageId, q.reason])).toEqual([
      ["4", "UNDECRYPTABLE"],
      ["5", "NOT_JSON"],
      ["6", "INVALID_EVENT"],
    ]);
    expect(recorder.counters()).toEqual({
      received: 6,
      recorded: 2,
      duplicates: 1,
      quarantined: 3,
      retried: 0,
    });
  });

  it("never logs plaintext unless asked to", async () => {
    const { recorder, logs } = setup();
    await recorder.recordBatch([
      { id: "1", body: legacy({ ...auditEvent(), sessionId: 42, secret: "s3cr3t" }) },
    ]);
    expect(logs.join("\n")).toContain("INVALID_EVENT");
    expect(logs.join("\n")).not.toContain("s3cr3t");
  });

  it("hands every decodable event back for retry when the sink is down, and still quarantines poison", async () => {
    const down: EventSink = {
      write: async () => {
        throw new RecorderError("SINK_UNAVAILABLE", "connection refused");
      },
    };
    const { recorder, quarantine } = setup(down);
    const handler = createSqsBatchHandler(recorder);
    const response = await handler({
      Records: [
        { messageId: "good", body: legacy(auditEvent()) },
        { messageId: "bad", body: "AAAA" },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "good" }] });
    expect(quarantine.all().map((q) => q.messageId)).toEqual(["bad"]);
  });

  it("replays quarantined messages after a fix, keeping the original body and reason", async () => {
    const sink = createMemoryEventSink();
    const quarantine = createMemoryQuarantineStore();
    const newKey = Buffer.alloc(32, 1);
    const before = createRecorder({ keyring, sink, quarantine });
    const event = auditEvent();
    const body = encryptV2(JSON.stringify(event), "k2", newKey);
    await before.recordBatch([{ id: "m1", body }]);
    const [entry] = quarantine.all();
    expect(entry).toMatchObject({ body, reason: "UNDECRYPTABLE", replayedAt: null });

    expect((await before.replay(quarantine)).failed).toHaveLength(1);
    expect((await quarantine.get(entry!.id))?.attempts).toBe(2);

    const after = createRecorder({
      keyring: createKeyring({ legacy: rawKey(legacyKey), keys: { k1: rawKey(v2Key), k2: rawKey(newKey) } }),
      sink,
      quarantine,
    });
    expect(await after.replay(quarantine)).toEqual({ replayed: [entry!.id], failed: [] });
    expect(await sink.getEvent(event.eventId)).toMatchObject({ eventId: event.eventId });
    const replayed = await quarantine.get(entry!.id);
    expect(replayed).toMatchObject({ body, reason: "UNDECRYPTABLE" });
    expect(replayed?.replayedAt).toBeInstanceOf(Date);
    expect((await quarantine.list()).items).toEqual([]);
  });

  it("sends everything back for retry when the keys cannot be fetched", async () => {
    const recorder = createRecorder({
      keyring: createKeyring({ legacy: async () => Promise.reject(new Error("KMS down")) }),
      sink: createMemoryEventSink(),
      quarantine: createMemoryQuarantineStore(),
    });
    const { retryIds } = await recorder.recordBatch([{ id: "1", body: legacy(auditEvent()) }]);
    expect(retryIds).toEqual(["1"]);
  });
});

describe("per-event log", () => {
  it("writes one entry per message, without details unless plaintext logging is on", async () => {
    const entries: unknown[] = [];
    const event = auditEvent();
    const make = (logPlaintext: boolean) =>
      createRecorder({
        keyring,
        sink: createMemoryEventSink(),
        quarantine: createMemoryQuarantineStore(),
        eventLog: (entry) => entries.push(entry),
        logPlaintext,
      });
    await make(false).recordBatch([
      { id: "a", body: legacy(event) },
      { id: "b", body: "garbage" },
    ]);
    expect(entries).toEqual([
      {
        messageId: "a",
        status: "recorded",
        eventId: event.eventId,
        eventType: event.eventType,
        originatingService: event.originatingService,
        sessionId: event.sessionId,
        timestamp: new Date(event.timestamp).toISOString(),
      },
      { messageId: "b", status: "quarantined", reason: "UNDECRYPTABLE" },
    ]);
    entries.length = 0;
    await make(true).recordBatch([{ id: "a", body: legacy(event) }]);
    expect(entries).toEqual([expect.objectContaining({ details: event.details })]);
  });
});
