import { createMemoryRateLimiter } from "@portside/dj-room";
import { createDjRoomHandler } from "@portside/dj-room/http";
import { describe, expect, it } from "vitest";
import { testRoom } from "../support.js";

const tight = { max: 2, windowMs: 60_000 };
const roomy = { max: 1000, windowMs: 60_000 };

/** A handler whose limits are small enough to reach; the client address comes from a test header. */
async function setUp(perGuest = tight, perAddress = roomy) {
  const t = testRoom();
  const handler = createDjRoomHandler({
    dj: t.dj,
    authenticateHost: (request) => (request.headers.get("x-test-host") ? { hostId: "host" } : null),
    rateLimiter: createMemoryRateLimiter(),
    abuseLimits: {
      joins: { perGuest, perAddress },
      searches: { perGuest, perAddress },
      adds: { perGuest, perAddress },
      votes: { perGuest, perAddress },
      skipVotes: { perGuest, perAddress },
    },
    clientAddress: (request) => request.headers.get("x-test-address"),
    secureCookies: false,
  });
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; address?: string; cookie?: string; host?: boolean } = {},
  ) => {
    const headers: Record<string, string> = { "x-test-address": options.address ?? "198.51.100.7" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.host) headers["x-test-host"] = "1";
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await handler(
      new Request(`http://dj.test${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const opened = await call("POST", "/rooms", {
    host: true,
    body: { settings: { limits: { addsPerMinute: 600, maxQueuedPerGuest: 100 } } },
  });
  const code: string = opened.body.room.code;
  const hostToken: string = opened.body.token;
  const join = (name: string, options: { address?: string; cookie?: string } = {}) =>
    call("POST", `/rooms/${code}/guests`, { body: { name }, ...options });
  return { t, call, code, hostToken, join };
}

const expectLimited = (
  response: { status: number; headers: Headers; body: { error: unknown } },
  limit: string,
  scope: string,
) => {
  expect(response.status).toBe(429);
  expect(response.body.error).toMatchObject({ code: "RATE_LIMITED", details: { limit, scope } });
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
};

describe("abuse limits: 429 with Retry-After per guest and per client address", () => {
  it("limits joins per browser and per address", async () => {
    const { join } = await setUp();
    const first = await join("Ada");
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toMatch(/^dj_device=/);
    expect((await join("Ada 2", { cookie })).status).toBe(201);
    expectLimited(await join("Ada 3", { cookie }), "joins", "guest");
    const crowd = await setUp(roomy, tight);
    expect((await crowd.join("A")).status).toBe(201);
    expect((await crowd.join("B")).status).toBe(201);
    expectLimited(await crowd.join("C"), "joins", "address");
    // Another address is not held back by the first one.
    expect((await crowd.join("D", { address: "203.0.113.9" })).status).toBe(201);
  });

  it("limits searches, adds, votes and skip votes per guest", async () => {
    const { call, code, join, hostToken } = await setUp();
    const token = (await join("Bo")).body.token;
    for (let i = 0; i < 2; i++)
      expect((await call("GET", `/rooms/${code}/search?q=ship`, { token })).status).toBe(200);
    expectLimited(await call("GET", `/rooms/${code}/search?q=ship`, { token }), "searches", "guest");

    const added = await call("POST", `/rooms/${code}/queue`, { token, body: { trackId: "demo-01" } });
    expect(added.status).toBe(201);
    expect((await call("POST", `/rooms/${code}/queue`, { token, body: { trackId: "demo-02" } })).status).toBe(
      201,
    );
    expectLimited(
      await call("POST", `/rooms/${code}/queue`, { token, body: { trackId: "demo-03" } }),
      "adds",
      "guest",
    );

    const vote = (value: number) =>
      call("PUT", `/rooms/${code}/queue/${added.body.entry.id}/vote`, { token, body: { value } });
    expect((await vote(1)).status).toBe(200);
    expect((await vote(-1)).status).toBe(200);
    expectLimited(await vote(1), "votes", "guest");
    expectLimited(
      await call("DELETE", `/rooms/${code}/queue/${added.body.entry.id}/vote`, { token }),
      "votes",
      "guest",
    );

    await call("POST", `/rooms/${code}/playback/start`, { token: hostToken });
    // Each skip vote counts, answered or not (1 of 2 needed: not skipped).
    const other = (await join("Cy")).body.token;
    expect((await call("POST", `/rooms/${code}/playback/vote-skip`, { token: other })).status).toBe(200);
    expect((await call("POST", `/rooms/${code}/playback/vote-skip`, { token: other })).status).toBe(200);
    expectLimited(
      await call("POST", `/rooms/${code}/playback/vote-skip`, { token: other }),
      "skipVotes",
      "guest",
    );
    // The host is never held back.
    for (let i = 0; i < 4; i++)
      expect((await call("GET", `/rooms/${code}/search?q=ship`, { token: hostToken })).status).toBe(200);
  });

  it("limits every guest action per address across guests", async () => {
    const { call, code, join } = await setUp(roomy, { max: 3, windowMs: 60_000 });
    const a = (await join("A", { address: "192.0.2.1" })).body.token;
    const b = (await join("B", { address: "192.0.2.2" })).body.token;
    const search = (token: string, address: string) =>
      call("GET", `/rooms/${code}/search?q=ship`, { token, address });
    expect((await search(a, "192.0.2.50")).status).toBe(200);
    expect((await search(b, "192.0.2.50")).status).toBe(200);
    expect((await search(a, "192.0.2.50")).status).toBe(200);
    expectLimited(await search(b, "192.0.2.50"), "searches", "address");
    expect((await search(b, "192.0.2.51")).status).toBe(200);
  });

  it("the host can close the room to new guests; guests inside stay", async () => {
    const { call, code, join, hostToken } = await setUp(roomy, roomy);
    const inside = (await join("In")).body.token;
    const closed = await call("PATCH", `/rooms/${code}/settings`, {
      token: hostToken,
      body: { joinsOpen: false },
    });
    expect(closed.body.room.settings.joinsOpen).toBe(false);
    expect((await call("GET", `/rooms/${code}`)).body.joinsOpen).toBe(false);
    const refused = await join("Late");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("ROOM_NOT_JOINABLE");
    expect((await call("GET", `/rooms/${code}/state`, { token: inside })).status).toBe(200);
    await call("PATCH", `/rooms/${code}/settings`, { token: hostToken, body: { joinsOpen: true } });
    expect((await join("Late")).status).toBe(201);
  });

  it("a ban survives a rejoin from the same browser under another name", async () => {
    const { call, code, join, hostToken } = await setUp(roomy, roomy);
    const first = await join("Troll");
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    await call("POST", `/rooms/${code}/guests/${first.body.guest.id}/ban`, { token: hostToken });
    const again = await join("Not a troll", { cookie });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe("GUEST_BANNED");
    // Another browser joins.
    expect((await join("Friend")).status).toBe(201);
  });

  it("refuses a body past its limit by Content-Length before reading it", async () => {
    const { t } = await setUp();
    const handler = createDjRoomHandler({ dj: t.dj, authenticateHost: () => null, maxBodyBytes: 1024 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512));
      },
    });
    const response = await handler(
      new Request("http://dj.test/rooms/ABCDEF/guests", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(pulled).toBeLessThanOrEqual(1);
  });
});
