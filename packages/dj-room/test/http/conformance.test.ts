import {
  createDjRoom,
  createMemoryCatalog,
  createMemoryRoomStore,
  createSessionTokens,
  type RoomStore,
} from "@portside/dj-room";
import { createDjRoomHandler } from "@portside/dj-room/http";
import { describeHttpConformance } from "@portside/http/testing";
import { describe, expect, it } from "vitest";
import { testRoom } from "../support.js";

const LIMIT = 16 * 1024;

/** A store whose every read fails the way an unexpected dependency does, naming a secret. */
function throwingStore(secret: string): RoomStore {
  const store = createMemoryRoomStore();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "getGuest" || property === "getRoom" || property === "findOpenRoomId") {
        return async () => {
          throw new Error(`connection to db://admin:${secret}@10.0.0.1 refused`);
        };
      }
      return value;
    },
  });
}

describeHttpConformance("dj-room", {
  async create({ logger }) {
    const { dj } = testRoom();
    const handler = createDjRoomHandler({ dj, authenticateHost: () => ({ hostId: "host" }), logger });
    const opened = await dj.openRoom("host", {});
    const code = opened.room.code;
    const entry = (await dj.addTrack(await dj.authenticate(opened.token), "demo-01")).entry;
    return {
      handler,
      headers: { authorization: `Bearer ${opened.token}` },
      resource: { path: `/rooms/${code}/state`, methods: ["GET"] },
      bodyRoutes: [
        { method: "POST", path: "/rooms", limit: LIMIT },
        { method: "POST", path: `/rooms/${code}/guests`, limit: LIMIT },
        { method: "POST", path: `/rooms/${code}/queue`, limit: LIMIT },
        { method: "PUT", path: `/rooms/${code}/queue/${entry.id}/vote`, limit: LIMIT },
        { method: "POST", path: `/rooms/${code}/playback/skip`, limit: LIMIT },
        { method: "PATCH", path: `/rooms/${code}/settings`, limit: LIMIT },
      ],
      json: { method: "POST", path: `/rooms/${code}/guests`, unknownField: { name: "Ada", bogus: 1 } },
    };
  },
  async failing({ logger, secret }) {
    const dj = createDjRoom({
      store: throwingStore(secret),
      provider: createMemoryCatalog(),
      tokens: createSessionTokens({ secret: "conformance-secret-conformance-secret" }),
    });
    const handler = createDjRoomHandler({ dj, authenticateHost: () => ({ hostId: "host" }), logger });
    return { handler, request: () => new Request("http://dj.test/rooms/ABCDEF") };
  },
});

describe("dj-room store failures", () => {
  it("wraps an undocumented store error once as STORE_FAILURE (503), the cause kept", async () => {
    const dj = createDjRoom({
      store: throwingStore("s3cr3t"),
      provider: createMemoryCatalog(),
      tokens: createSessionTokens({ secret: "conformance-secret-conformance-secret" }),
    });
    const error = await dj.findRoom("ABCDEF").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STORE_FAILURE" });
    expect((error as Error).message).not.toContain("s3cr3t");
    expect(((error as Error).cause as Error).message).toContain("s3cr3t");
    const handler = createDjRoomHandler({ dj, authenticateHost: () => null });
    const response = await handler(new Request("http://dj.test/rooms/ABCDEF"));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain("s3cr3t");
  });
});
