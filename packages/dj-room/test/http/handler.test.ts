import { createDjRoomHandler } from "@portside/dj-room/http";
import { describe, expect, it } from "vitest";
import { testRoom } from "../support.js";

function api(overrides: { heartbeatMs?: number } = {}) {
  const t = testRoom();
  const handler = createDjRoomHandler({
    dj: t.dj,
    events: t.bus,
    authenticateHost: (request) => {
      const host = request.headers.get("x-test-host");
      return host ? { hostId: host } : null;
    },
    ...overrides,
  });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; host?: string; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.host) headers["x-test-host"] = options.host;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await handler(
      new Request(`http://dj.test${path}`, {
        method,
        headers,
        body:
          options.body === undefined
            ? undefined
            : typeof options.body === "string"
              ? options.body
              : JSON.stringify(options.body),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  return { ...t, handler, call };
}

async function roomWithGuest() {
  const a = api();
  const opened = await a.call("POST", "/rooms", { host: "h1", body: { name: "Party" } });
  const code: string = opened.body.room.code;
  const joined = await a.call("POST", `/rooms/${code.toLowerCase()}/guests`, { body: { name: "Ada" } });
  return {
    ...a,
    code,
    hostToken: opened.body.token as string,
    guestToken: joined.body.token as string,
    joined,
  };
}

describe("dj-room HTTP API", () => {
  it("opens a room for a signed-in host only", async () => {
    const { call } = api();
    expect((await call("POST", "/rooms", {})).status).toBe(401);
    const opened = await call("POST", "/rooms", { host: "h1", body: {} });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ guest: { role: "host" }, room: { status: "open" } });
    const second = await call("POST", "/rooms", { host: "h1", body: {} });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("HOST_ROOM_LIMIT");
    expect((await call("GET", "/rooms/mine", { host: "h1" })).body.rooms).toHaveLength(1);
  });

  it("joins by code and answers errors as JSON with field paths", async () => {
    const { call, code, joined } = await roomWithGuest();
    expect(joined.status).toBe(201);
    expect((await call("GET", `/rooms/${code}`)).body).toMatchObject({ code, status: "open" });
    const bad = await call("POST", `/rooms/${code}/guests`, { body: { name: "" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: { issues: [{ path: ["name"] }] },
    });
    expect((await call("POST", `/rooms/${code}/guests`, { body: "{not json" })).status).toBe(400);
    expect((await call("POST", `/rooms/${code}/guests`, { body: "x".repeat(20_000) })).status).toBe(413);
    expect((await call("GET", "/rooms/QQQQQQ")).status).toBe(404);
    expect((await call("PUT", `/rooms/${code}`)).status).toBe(405);
  });

  it("adds, votes and reads the ordered queue", async () => {
    const { call, code, guestToken, hostToken } = await roomWithGuest();
    const added = await call("POST", `/rooms/${code}/queue`, {
      token: guestToken,
      body: { trackId: "demo-01" },
    });
    expect(added.status).toBe(201);
    const second = await call("POST", `/rooms/${code}/queue`, {
      token: hostToken,
      body: { trackId: "demo-02" },
    });
    const entryId = second.body.entry.id;
    const vote = await call("PUT", `/rooms/${code}/queue/${entryId}/vote`, {
      token: guestToken,
      body: { value: 1 },
    });
    expect(vote.body).toMatchObject({ score: 1, myVote: 1 });
    const again = await call("POST", `/rooms/${code}/queue`, {
      token: hostToken,
      body: { trackId: "demo-01" },
    });
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe("voted");
    const state = await call("GET", `/rooms/${code}/state`, { token: guestToken });
    expect(state.body.queue.map((e: { track: { id: string } }) => e.track.id)).toEqual([
      "demo-01",
      "demo-02",
    ]);
    await call("DELETE", `/rooms/${code}/queue/${entryId}/vote`, { token: guestToken });
    const after = await call("GET", `/rooms/${code}/state`, { token: guestToken });
    expect(after.body.queue[1]).toMatchObject({ score: 0, myVote: 0 });
    const search = await call("GET", `/rooms/${code}/search?q=harbour`, { token: guestToken });
    expect(search.body.tracks.map((t: { id: string }) => t.id)).toEqual(["demo-01"]);
  });

  it("requires a session of this room, and the host role for host controls", async () => {
    const { call, code, guestToken } = await roomWithGuest();
    expect((await call("GET", `/rooms/${code}/state`)).status).toBe(401);
    expect((await call("GET", `/rooms/${code}/state`, { token: "garbage" })).status).toBe(401);
    const other = await call("POST", "/rooms", { host: "h2", body: {} });
    expect((await call("GET", `/rooms/${other.body.room.code}/state`, { token: guestToken })).status).toBe(
      403,
    );
    const skip = await call("POST", `/rooms/${code}/playback/skip`, { token: guestToken });
    expect(skip.status).toBe(403);
    expect(skip.body.error.code).toBe("FORBIDDEN");
  });

  it("answers a limit with 429 and Retry-After", async () => {
    const { call, code, guestToken, hostToken } = await roomWithGuest();
    await call("PATCH", `/rooms/${code}/settings`, {
      token: hostToken,
      body: { limits: { cooldownSeconds: 30 } },
    });
    await call("POST", `/rooms/${code}/queue`, { token: guestToken, body: { trackId: "demo-01" } });
    const refused = await call("POST", `/rooms/${code}/queue`, {
      token: guestToken,
      body: { trackId: "demo-02" },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(refused.body.error).toMatchObject({ code: "LIMIT_EXCEEDED", details: { limit: "cooldown" } });
  });

  it("runs host controls: start, skip, remove, play next, ban, close", async () => {
    const { call, code, guestToken, hostToken, joined } = await roomWithGuest();
    const ids: string[] = [];
    for (const trackId of ["demo-01", "demo-02", "demo-03"]) {
      ids.push(
        (await call("POST", `/rooms/${code}/queue`, { token: hostToken, body: { trackId } })).body.entry.id,
      );
    }
    expect(
      (await call("POST", `/rooms/${code}/queue/${ids[2]}/play-next`, { token: hostToken })).status,
    ).toBe(204);
    expect((await call("DELETE", `/rooms/${code}/queue/${ids[1]}`, { token: hostToken })).status).toBe(204);
    const started = await call("POST", `/rooms/${code}/playback/start`, { token: hostToken });
    expect(started.body.playback).toMatchObject({ phase: "playing", track: { id: "demo-03" } });
    const skipped = await call("POST", `/rooms/${code}/playback/skip`, { token: hostToken, body: {} });
    expect(skipped.body.playback).toMatchObject({ phase: "playing", track: { id: "demo-01" } });
    expect(
      (await call("POST", `/rooms/${code}/guests/${joined.body.guest.id}/ban`, { token: hostToken })).status,
    ).toBe(204);
    expect((await call("GET", `/rooms/${code}/state`, { token: guestToken })).status).toBe(403);
    const closed = await call("POST", `/rooms/${code}/close`, { token: hostToken });
    expect(closed.body.room.status).toBe("closed");
    expect(
      (await call("POST", `/rooms/${code}/queue`, { token: hostToken, body: { trackId: "demo-04" } })).status,
    ).toBe(410);
    const reopened = await call("POST", `/rooms/by-id/${closed.body.room.id}/reopen`, { host: "h1" });
    expect(reopened.body.room.status).toBe("open");
  });

  it("streams the room's events as Server-Sent Events", async () => {
    const { handler, call, code, guestToken, hostToken } = await roomWithGuest();
    const controller = new AbortController();
    const response = await handler(
      new Request(`http://dj.test/rooms/${code}/events?token=${guestToken}`, { signal: controller.signal }),
    );
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        received += value;
      }
    };
    await readUntil("event: ready");
    const ready = JSON.parse(/event: ready\ndata: (.*)\n/.exec(received)![1]!);
    const state = await call("GET", `/rooms/${code}/state`, { token: guestToken });
    expect(state.body.version).toBe(ready.version);
    expect(state.body.live).toEqual({ transport: "sse", url: `/rooms/${code}/events` });
    expect(state.body.share).toEqual({
      code,
      url: `http://dj.test/dj/${code}`,
      tvUrl: `http://dj.test/dj/${code}/tv`,
    });
    await call("POST", `/rooms/${code}/queue`, { token: hostToken, body: { trackId: "demo-05" } });
    await readUntil("event: queue.changed");
    const id = Number(/id: (\d+)\nevent: queue.changed/.exec(received)![1]);
    expect(id).toBeGreaterThan(ready.version);
    expect(
      (await call("GET", `/rooms/${code}/state`, { token: guestToken })).body.version,
    ).toBeGreaterThanOrEqual(id);
    await call("POST", `/rooms/${code}/close`, { token: hostToken });
    await readUntil("event: room.closed");
    expect((await reader.read()).done).toBe(true);
    controller.abort();
  });

  it("sends keep-alive comments and stops when the client leaves", async () => {
    const fast = api({ heartbeatMs: 10 });
    const opened = await fast.call("POST", "/rooms", { host: "h", body: {} });
    const controller = new AbortController();
    const response = await fast.handler(
      new Request(`http://dj.test/rooms/${opened.body.room.code}/events?token=${opened.body.token}`, {
        signal: controller.signal,
      }),
    );
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": keep-alive")) text += (await reader.read()).value ?? "";
    controller.abort();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });

  it("ends a banned guest's event stream", async () => {
    const { handler, call, code, guestToken, hostToken, joined } = await roomWithGuest();
    const response = await handler(new Request(`http://dj.test/rooms/${code}/events?token=${guestToken}`));
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: ready")) text += (await reader.read()).value ?? "";
    await call("POST", `/rooms/${code}/guests/${joined.body.guest.id}/ban`, { token: hostToken });
    let done = false;
    while (!done) {
      const chunk = await reader.read();
      text += chunk.value ?? "";
      done = chunk.done;
    }
    expect(text).toContain('"banned":true');
  });

  it("answers 501 for events when the host cannot stream", async () => {
    const t = testRoom();
    const handler = createDjRoomHandler({ dj: t.dj, authenticateHost: () => ({ hostId: "h" }) });
    const opened = await (await handler(new Request("http://dj.test/rooms", { method: "POST" }))).json();
    const response = await handler(
      new Request(`http://dj.test/rooms/${opened.room.code}/events?token=${opened.token}`),
    );
    expect(response.status).toBe(501);
    const state = await handler(
      new Request(`http://dj.test/rooms/${opened.room.code}/state`, {
        headers: { authorization: `Bearer ${opened.token}` },
      }),
    );
    expect((await state.json()).live).toEqual({ transport: "none" });
  });

  it("tells the page to use the WebSocket API and the public origin when configured", async () => {
    const t = testRoom();
    const handler = createDjRoomHandler({
      dj: t.dj,
      events: t.bus,
      webSocketUrl: "wss://abc.execute-api.eu-west-1.amazonaws.com/prod",
      publicUrl: "https://party.example/",
      authenticateHost: () => ({ hostId: "h" }),
    });
    const opened = await (await handler(new Request("http://dj.test/rooms", { method: "POST" }))).json();
    const state = await (
      await handler(
        new Request(`http://dj.test/rooms/${opened.room.code}/state`, {
          headers: { authorization: `Bearer ${opened.token}` },
        }),
      )
    ).json();
    expect(state.live).toEqual({
      transport: "websocket",
      url: "wss://abc.execute-api.eu-west-1.amazonaws.com/prod",
    });
    expect(state.share.url).toBe(`https://party.example/dj/${opened.room.code}`);
  });
});

describe("viewer sessions (a screen at the venue)", () => {
  it("reads the state and follows events, counts as no guest and can act in nothing", async () => {
    const t = testRoom();
    const handler = createDjRoomHandler({
      dj: t.dj,
      events: t.bus,
      authenticateHost: () => ({ hostId: "h" }),
    });
    const opened = await (await handler(new Request("http://dj.test/rooms", { method: "POST" }))).json();
    const code = opened.room.code;
    const created = await handler(
      new Request(`http://dj.test/rooms/${code.toLowerCase()}/viewers`, { method: "POST" }),
    );
    expect(created.status).toBe(201);
    const { token } = await created.json();
    const auth = { authorization: `Bearer ${token}` };
    const state = await (
      await handler(new Request(`http://dj.test/rooms/${code}/state`, { headers: auth }))
    ).json();
    expect(state.me).toMatchObject({ role: "viewer", name: "Screen" });
    expect(state.guests.map((g: { role: string }) => g.role)).toEqual(["host"]);
    const events = await handler(new Request(`http://dj.test/rooms/${code}/events?token=${token}`));
    expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await events.body?.cancel();
    const add = await handler(
      new Request(`http://dj.test/rooms/${code}/queue`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ trackId: "demo-01" }),
      }),
    );
    expect(add.status).toBe(403);
    expect((await add.json()).error.code).toBe("FORBIDDEN");
    const close = await handler(
      new Request(`http://dj.test/rooms/${code}/close`, { method: "POST", headers: auth }),
    );
    expect(close.status).toBe(403);
  });
});
