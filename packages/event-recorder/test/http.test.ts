import {
  createKeyring,
  createMemoryEventSink,
  createMemoryQuarantineStore,
  createMemoryQueue,
  createRecorder,
  encryptLegacy,
  rawKey,
} from "@portside/event-recorder";
import { createEventRecorderHandler, createRecorderHttpHandler } from "@portside/event-recorder/http";
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
  const handler = createEventRecorderHandler({
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
      headers: { "content-type": "application/json" },
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
      error: { code: "VALIDATION_FAILED", details: { issues: [{ path: ["limit"] }] } },
    });
    const json = { "content-type": "application/json" };
    expect((await call("/quarantine/replay", { method: "POST", headers: json, body: "{" })).status).toBe(400);
    expect(
      (await call("/quarantine/replay", { method: "POST", headers: json, body: '{"bogus":1}' })).status,
    ).toBe(400);
    expect((await call("/quarantine/replay", { method: "POST", body: "{}" })).status).toBe(415);
    expect((await call("/nowhere")).status).toBe(404);
  });

  it("answers 401 when the host's authorize says no (the deprecated names still work)", async () => {
    const handler = createRecorderHttpHandler({ authorize: () => false });
    expect((await handler(new Request("http://recorder/events"))).status).toBe(401);
  });

  it("lets any authenticated caller submit, and only an admin read events or touch the quarantine", async () => {
    const { queue } = setup();
    await queue.stop();
    const handler = createEventRecorderHandler({
      submit: () => "m-1",
      reader: createMemoryEventSink(),
      quarantine: createMemoryQuarantineStore(),
      authenticate: (request) => {
        const user = request.headers.get("x-user");
        return user ? { id: user, roles: user === "root" ? ["admin"] : ["producer"] } : null;
      },
    });
    const as = (user: string | null, path: string, init: RequestInit = {}) =>
      handler(new Request(`http://recorder${path}`, { ...init, headers: user ? { "x-user": user } : {} }));
    expect((await as(null, "/events", { method: "POST", body: "abc" })).status).toBe(401);
    expect((await as("svc", "/events", { method: "POST", body: "abc" })).status).toBe(202);
    for (const path of ["/events", "/events/e-1", "/quarantine", "/quarantine/q-1"]) {
      const refused = await as("svc", path);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    }
    expect((await as("svc", "/quarantine/replay", { method: "POST" })).status).toBe(403);
    expect((await as("root", "/events")).status).toBe(200);
    expect((await as("root", "/quarantine")).status).toBe(200);
  });
});
