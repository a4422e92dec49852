import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "#test-support";
import type { HttpEventV2, HttpResultV2 } from "../src/lambda-adapter.js";
import { httpEvent } from "./support/http-event.js";

/** The handler reads its config from the environment, as in Lambda; restored after this file. */
const ENV = {
  DYNAMODB_TABLES_USERID: uniqueName("lambda-dj"),
  DJ_ROOM_SESSION_SECRET: "lambda-dj-room-session-secret-0123456789",
  LOG_LEVEL: "silent",
  EVENT_BUS_NAME: "default",
} as const;
const saved: Record<string, string | undefined> = {};
let handler: (event: HttpEventV2) => Promise<HttpResultV2>;

const json = (result: HttpResultV2) => JSON.parse(result.body ?? "null");

describe("dj-room Lambda handler (DynamoDB on the emulator)", () => {
  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    ({ handler } = await import("../src/dj-room.js"));
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("serves the page, signs a host in by cookie, and runs a room on DynamoDB", async () => {
    const page = await handler(httpEvent("GET", "/dj"));
    expect(page.statusCode).toBe(200);
    expect(page.headers?.["content-type"]).toMatch(/^text\/html/);

    const login = await handler(httpEvent("POST", "/dj/host-login", { body: { name: "DJ" } }));
    const cookies = login.cookies!.map((c) => c.split(";")[0]!);
    const opened = await handler(httpEvent("POST", "/rooms", { cookies, body: { name: "Lambda party" } }));
    expect(opened.statusCode).toBe(201);
    const { room, token: hostToken } = json(opened);

    const joined = json(
      await handler(httpEvent("POST", `/rooms/${room.code.toLowerCase()}/guests`, { body: { name: "Ada" } })),
    );
    const added = await handler(
      httpEvent("POST", `/rooms/${room.code}/queue`, { token: joined.token, body: { trackId: "demo-02" } }),
    );
    expect(added.statusCode).toBe(201);
    const { entry } = json(added);
    await handler(
      httpEvent("PUT", `/rooms/${room.code}/queue/${entry.id}/vote`, {
        token: hostToken,
        body: { value: 1 },
      }),
    );
    const state = json(await handler(httpEvent("GET", `/rooms/${room.code}/state`, { token: joined.token })));
    expect(state.queue).toMatchObject([
      { track: { id: "demo-02", title: "Container Ship" }, score: 1, myVote: 0 },
    ]);

    const limited = await handler(
      httpEvent("PATCH", `/rooms/${room.code}/settings`, {
        token: hostToken,
        body: { limits: { cooldownSeconds: 60 } },
      }),
    );
    expect(limited.statusCode).toBe(200);
    const refused = await handler(
      httpEvent("POST", `/rooms/${room.code}/queue`, { token: joined.token, body: { trackId: "demo-03" } }),
    );
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.["retry-after"]).toMatch(/^\d+$/);
  });

  it("answers 501 for the event stream instead of hanging", async () => {
    const login = await handler(httpEvent("POST", "/dj/host-login", { body: { name: "Other" } }));
    const cookies = login.cookies!.map((c) => c.split(";")[0]!);
    const { room, token } = json(await handler(httpEvent("POST", "/rooms", { cookies, body: {} })));
    const events = await handler(httpEvent("GET", `/rooms/${room.code}/events?token=${token}`));
    expect(events.statusCode).toBe(501);
  });
});
