import {
  createKeyring,
  createMemoryEventSink,
  createMemoryQuarantineStore,
  createMemoryQueue,
  createRecorder,
  encryptLegacy,
  rawKey,
} from "@portside/event-recorder";
import { createRecorderHttpHandler } from "@portside/event-recorder/http";
import { describe, expect, it } from "vitest";
import { auditEvent, legacyKey } from "./fixtures.js";

function setup() {
  const sink = createMemoryEventSink();
  const quarantine = createMemoryQuarantineStore();
  const recorder = createRecorder({
    keyring: createKeyring({ legacy: rawKey(legacyKey) }),
    sink,
    quarantine,
  });
  const queue = createMemoryQueue({ retryDelayMs: 10 });
  queue.start((messages) => recorder.recordBatch(messages));
  const handler = createRecorderHttpHandler({
    submit: (body) => queue.send(body),
    reader: sink,
    quarantine,
    recorder,
    maxBodyBytes: 4096,
  });
  const call = (path: string, init?: RequestInit) => handler(new Request(`http://recorder${path}`, init));
  return { call, queue };
}

describe("recorder HTTP handler", () => {
  it("takes an encrypted body like a producer, then serves the recorded event by id and by session", async () => {
    const { call, queue } = setup();
    const event = auditEvent();
    const posted = await call("/events", {
      method: "POST",
      body: encryptLegacy(JSON.stringify(event), legacyKey),
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ messageId: expect.any(String) });
    await queue.drained();
    await queue.stop();
    expect(await (await call(`/events/${event.eventId}`)).json()).toMatchObject({ eventId: event.eventId });
    const page = await (await call(`/events?sessionId=${event.sessionId}&limit=5`)).json();
    expect(page.items).toHaveLength(1);
    expect(await (await call("/events/counters")).json()).toMatchObject({ received: 1, recorded: 1 });
  });

  it("lists poison in the quarantine and replays it on request", async () => {
    const { call, queue } = setup();
    await call("/events", { method: "POST", body: "bm90IGVuY3J5cHRlZA==" });
    await queue.drained();
    await queue.stop();
    const list = await (await call("/quarantine")).json();
    expect(list.items).toMatchObject([{ reason: "UNDECRYPTABLE", body: "bm90IGVuY3J5cHRlZA==" }]);
    const replay = await call("/quarantine/replay", {
      method: "POST",
      body: JSON.stringify({ ids: [list.items[0].id] }),
    });
    expect(await replay.json()).toMatchObject({ replayed: [], failed: [{ reason: "UNDECRYPTABLE" }] });
  });

  it("answers errors as JSON with the right status", async () => {
    const { call, queue } = setup();
    await queue.stop();
    expect((await call("/events", { method: "POST", body: "" })).status).toBe(400);
    expect((await call("/events", { method: "POST", body: "x".repeat(5000) })).status).toBe(413);
    expect((await call("/events/missing")).status).toBe(404);
    const bad = await call("/events?limit=0");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "INVALID_ARGUMENT", details: { issues: [{ path: "limit" }] } },
    });
    expect((await call("/quarantine/replay", { method: "POST", body: "{" })).status).toBe(400);
    expect((await call("/nowhere")).status).toBe(404);
  });

  it("answers 401 when the host's authorize says no", async () => {
    const handler = createRecorderHttpHandler({ authorize: () => false });
    expect((await handler(new Request("http://recorder/events"))).status).toBe(401);
  });
});
