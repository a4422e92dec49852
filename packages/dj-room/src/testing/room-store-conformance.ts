import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DjRoomError } from "../errors.js";
import type { VoteValue } from "../model.js";
import type { RoomStore } from "../ports/room-store.js";
import { entryFixture, guestFixture, roomFixture } from "./fixtures.js";

/** Options of `describeRoomStoreConformance`: how to create the store under test, and how hard to push it. */
export interface RoomStoreConformanceOptions {
  /** Builds the store under test (called once per suite). */
  create(): Promise<RoomStore> | RoomStore;
  /** Releases what `create` made (tables, clients). */
  destroy?(): Promise<void>;
  /** Parallel voters in the exact-count test. Default 300. */
  parallelVoters?: number;
  /** Reads the stored vote records of an entry behind the port's back, to check the counters against. */
  countVoteRecords?(roomId: string, entryId: string): Promise<{ up: number; down: number }>;
  /** fast-check runs for the vote-sequence property. Default 30. */
  propertyRuns?: number;
}

const one = { maxOpenRoomsPerHost: 1 };

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DjRoomError) return error.code;
    throw error;
  }
  return undefined;
}

/**
 * The behaviour every `RoomStore` must show. An adapter that passes it can replace the
 * in-memory store: same conflicts, same atomicity, exact counts under concurrency.
 */
export function describeRoomStoreConformance(name: string, options: RoomStoreConformanceOptions): void {
  describe(`RoomStore conformance: ${name}`, () => {
    let store: RoomStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.();
    });

    const openRoom = async () => {
      const room = roomFixture();
      await store.createRoom(room, one);
      return room;
    };
    const joinGuest = async (roomId: string) => {
      const guest = guestFixture(roomId);
      await store.createGuest(guest);
      return guest;
    };
    const queueTrack = async (roomId: string, trackId: string) => {
      const guest = await joinGuest(roomId);
      const entry = entryFixture(roomId, guest.id, await store.nextSequence(roomId), trackId);
      await store.addEntry(entry, guest, guest.version);
      return entry;
    };

    describe("rooms", () => {
      it("creates a room that reads back and is found by its code", async () => {
        const room = await openRoom();
        expect(await store.getRoom(room.id)).toEqual(room);
        expect(await store.findOpenRoomId(room.code)).toBe(room.id);
        expect(await store.listRoomsByHost(room.hostId)).toEqual([room]);
      });

      it("creates the room and its host's guest record together, or neither", async () => {
        const room = roomFixture();
        const host = guestFixture(room.id, { role: "host", name: "Host" });
        await store.createRoom(room, one, host);
        expect(await store.getGuest(room.id, host.id)).toEqual(host);
        const taken = roomFixture({ code: room.code });
        const loser = guestFixture(taken.id, { role: "host" });
        expect(await errorCode(store.createRoom(taken, one, loser))).toBe("ROOM_CODE_TAKEN");
        expect(await store.getRoom(taken.id)).toBeNull();
        expect(await store.getGuest(taken.id, loser.id)).toBeNull();
      });

      it("refuses a code held by another open room, and frees it when that room closes", async () => {
        const first = await openRoom();
        const second = roomFixture({ code: first.code });
        expect(await errorCode(store.createRoom(second, one))).toBe("ROOM_CODE_TAKEN");
        expect(await store.getRoom(second.id)).toBeNull();
        const closed = await store.closeRoom(first.id, first.version, 5);
        expect(closed).toMatchObject({ status: "closed", closedAt: 5, version: first.version + 1 });
        expect(await store.findOpenRoomId(first.code)).toBeNull();
        await store.createRoom(second, one);
        expect(await store.findOpenRoomId(first.code)).toBe(second.id);
      });

      it("lets only one of many concurrent creates claim a code", async () => {
        const code = roomFixture().code;
        const rooms = Array.from({ length: 10 }, () => roomFixture({ code }));
        const results = await Promise.allSettled(rooms.map((r) => store.createRoom(r, one)));
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect((r.reason as DjRoomError).code).toBe("ROOM_CODE_TAKEN");
        }
      });

      it("holds a host to its open-room limit, counting only open rooms", async () => {
        const first = await openRoom();
        const second = roomFixture({ hostId: first.hostId });
        expect(await errorCode(store.createRoom(second, one))).toBe("HOST_ROOM_LIMIT");
        expect(await store.findOpenRoomId(second.code)).toBeNull();
        await store.createRoom(second, { maxOpenRoomsPerHost: 2 });
        await store.closeRoom(first.id, first.version, 9);
        const third = roomFixture({ hostId: first.hostId });
        await store.createRoom(third, { maxOpenRoomsPerHost: 2 });
        expect((await store.listRoomsByHost(first.hostId)).map((r) => r.id).sort()).toEqual(
          [first.id, second.id, third.id].sort(),
        );
      });

      it("updates a room only at the version it was read, and bumps the version", async () => {
        const room = await openRoom();
        const updated = await store.updateRoom({ ...room, name: "Renamed", lastActiveAt: 7 }, room.version);
        expect(updated).toMatchObject({ name: "Renamed", lastActiveAt: 7, version: room.version + 1 });
        expect(await errorCode(store.updateRoom({ ...room, name: "Stale" }, room.version))).toBe("CONFLICT");
        expect((await store.getRoom(room.id))?.name).toBe("Renamed");
      });

      it("keeps playback and settings through an update", async () => {
        const room = await openRoom();
        const entry = entryFixture(room.id, "g", 1, "t1");
        const playback = {
          phase: "playing" as const,
          playId: "p1",
          entryId: entry.id,
          track: entry.track,
          startedAt: 3,
        };
        const settings = { ...room.settings, fairShare: true, locked: true };
        await store.updateRoom({ ...room, playback, settings }, room.version);
        expect(await store.getRoom(room.id)).toMatchObject({ playback, settings });
      });

      it("reopens a closed room under a code, counting against the host's limit", async () => {
        const room = await openRoom();
        const closed = await store.closeRoom(room.id, room.version, 2);
        expect(await errorCode(store.closeRoom(room.id, closed.version, 3))).toBe("ROOM_CLOSED");
        const other = roomFixture({ hostId: room.hostId });
        await store.createRoom(other, one);
        expect(await errorCode(store.reopenRoom(room.id, room.code, closed.version, one, 50))).toBe(
          "HOST_ROOM_LIMIT",
        );
        await store.closeRoom(other.id, other.version, 4);
        const reopened = await store.reopenRoom(room.id, room.code, closed.version, one, 60);
        expect(reopened).toMatchObject({ status: "open", closedAt: null, code: room.code, lastActiveAt: 60 });
        expect(await store.getRoom(room.id)).toEqual(reopened);
        expect(await store.findOpenRoomId(room.code)).toBe(room.id);
      });

      it("hands out distinct, increasing sequence numbers under concurrency", async () => {
        const room = await openRoom();
        const numbers = await Promise.all(Array.from({ length: 40 }, () => store.nextSequence(room.id)));
        expect(new Set(numbers).size).toBe(40);
        const later = await store.nextSequence(room.id);
        expect(later).toBeGreaterThan(Math.max(...numbers));
      });

      it("lists open rooms whose playback check is due, soonest first, and forgets closed ones", async () => {
        const now = 10_000_000;
        const late = await openRoom();
        const soon = await openRoom();
        const notYet = await openRoom();
        const closing = await openRoom();
        await store.updateRoom({ ...late, nextCheckAt: now - 10 }, late.version);
        await store.updateRoom({ ...soon, nextCheckAt: now - 500 }, soon.version);
        await store.updateRoom({ ...notYet, nextCheckAt: now + 60_000 }, notYet.version);
        const c = await store.updateRoom({ ...closing, nextCheckAt: now - 100 }, closing.version);
        await store.closeRoom(closing.id, c.version, now);
        const mine = new Set([late.id, soon.id, notYet.id, closing.id]);
        const due = async () => (await store.listDueRooms(now, 1000)).filter((id) => mine.has(id));
        // The DynamoDB store reads a secondary index, which may lag a write by a moment.
        await expect.poll(due).toEqual([soon.id, late.id]);
        const stored = (await store.getRoom(soon.id))!;
        expect(stored.nextCheckAt).toBe(now - 500);
        await store.updateRoom({ ...stored, nextCheckAt: null }, stored.version);
        await expect.poll(due).toEqual([late.id]);
      });

      it("counts every change exactly once: change versions 1..n under concurrency", async () => {
        const room = await openRoom();
        expect(await store.changeVersion(room.id)).toBe(0);
        const versions = await Promise.all(
          Array.from({ length: 40 }, () => store.nextChangeVersion(room.id)),
        );
        expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await store.changeVersion(room.id)).toBe(40);
      });
    });

    describe("guests", () => {
      it("creates, reads, lists and updates guests with version checks", async () => {
        const room = await openRoom();
        const guest = await joinGuest(room.id);
        expect(await store.getGuest(room.id, guest.id)).toEqual(guest);
        expect(await errorCode(store.createGuest(guest))).toBe("CONFLICT");
        const banned = await store.updateGuest({ ...guest, banned: true }, guest.version);
        expect(banned).toMatchObject({ banned: true, version: guest.version + 1 });
        expect(await errorCode(store.updateGuest({ ...guest, name: "x" }, guest.version))).toBe("CONFLICT");
        expect(await store.listGuests(room.id)).toEqual([banned]);
        expect(await store.getGuest(room.id, "nobody")).toBeNull();
      });
    });

    describe("queue", () => {
      it("adds an entry and updates the adding guest in one step", async () => {
        const room = await openRoom();
        const guest = await joinGuest(room.id);
        const entry = entryFixture(room.id, guest.id, 1, "t1");
        await store.addEntry(entry, { ...guest, lastAddAt: 10, addWindowCount: 1 }, guest.version);
        expect(await store.getEntry(room.id, entry.id)).toEqual(entry);
        expect(await store.getGuest(room.id, guest.id)).toMatchObject({
          lastAddAt: 10,
          version: guest.version + 1,
        });
        expect(await store.listEntries(room.id, ["queued"])).toEqual([entry]);
        expect(await store.listEntries(room.id, ["played"])).toEqual([]);
      });

      it("writes nothing when the guest changed since it was read", async () => {
        const room = await openRoom();
        const guest = await joinGuest(room.id);
        await store.updateGuest({ ...guest, lastSeenAt: 5 }, guest.version);
        const entry = entryFixture(room.id, guest.id, 1, "t1");
        expect(await errorCode(store.addEntry(entry, guest, guest.version))).toBe("CONFLICT");
        expect(await store.getEntry(room.id, entry.id)).toBeNull();
        const retry = entryFixture(room.id, guest.id, 2, "t1");
        await store.addEntry(retry, guest, guest.version + 1);
        expect(await store.getEntry(room.id, retry.id)).not.toBeNull();
      });

      it("refuses a track already queued, naming the entry that holds it", async () => {
        const room = await openRoom();
        const first = await queueTrack(room.id, "same");
        const guest = await joinGuest(room.id);
        const second = entryFixture(room.id, guest.id, 2, "same");
        try {
          await store.addEntry(second, guest, guest.version);
          expect.unreachable();
        } catch (error) {
          expect(error).toMatchObject({ code: "TRACK_ALREADY_QUEUED", details: { entryId: first.id } });
        }
        expect(await store.getEntry(room.id, second.id)).toBeNull();
        expect((await store.getGuest(room.id, guest.id))?.version).toBe(guest.version);
      });

      it("queues a track once when many guests add it at the same moment", async () => {
        const room = await openRoom();
        const guests = await Promise.all(Array.from({ length: 12 }, () => joinGuest(room.id)));
        const results = await Promise.allSettled(
          guests.map((g, i) => store.addEntry(entryFixture(room.id, g.id, i + 1, "hit"), g, g.version)),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect(await store.listEntries(room.id, ["queued"])).toHaveLength(1);
      });

      it("frees the track when its entry leaves the queue, and checks the status it leaves", async () => {
        const room = await openRoom();
        const entry = await queueTrack(room.id, "t1");
        const playing = await store.transitionEntry(room.id, entry.id, { from: "queued", to: "playing" });
        expect(playing.status).toBe("playing");
        expect(
          await errorCode(store.transitionEntry(room.id, entry.id, { from: "queued", to: "removed" })),
        ).toBe("ENTRY_NOT_QUEUED");
        const again = await queueTrack(room.id, "t1");
        expect(again.track.id).toBe("t1");
        const played = await store.transitionEntry(room.id, entry.id, {
          from: "playing",
          to: "played",
          endedAt: 9,
        });
        expect(played).toMatchObject({ status: "played", endedAt: 9 });
        expect(
          await errorCode(store.transitionEntry(room.id, "missing", { from: "queued", to: "removed" })),
        ).toBe("ENTRY_NOT_FOUND");
      });

      it("pins queued entries only", async () => {
        const room = await openRoom();
        const entry = await queueTrack(room.id, "t1");
        expect((await store.pinEntry(room.id, entry.id, 42)).pinnedSeq).toBe(42);
        await store.transitionEntry(room.id, entry.id, { from: "queued", to: "removed" });
        expect(await errorCode(store.pinEntry(room.id, entry.id, 43))).toBe("ENTRY_NOT_QUEUED");
      });
    });

    describe("votes", () => {
      it("counts one vote per voter per entry, changeable, removable and idempotent", async () => {
        const room = await openRoom();
        const entry = await queueTrack(room.id, "t1");
        expect(await store.setVote(room.id, entry.id, "v1", 1)).toMatchObject({ up: 1, down: 0 });
        expect(await store.setVote(room.id, entry.id, "v1", 1)).toMatchObject({ up: 1, down: 0 });
        expect(await store.setVote(room.id, entry.id, "v2", 1)).toMatchObject({ up: 2, down: 0 });
        expect(await store.setVote(room.id, entry.id, "v1", -1)).toMatchObject({ up: 1, down: 1 });
        expect(await store.listVotes(room.id, "v1")).toEqual({ [entry.id]: -1 });
        expect(await store.setVote(room.id, entry.id, "v1", 0)).toMatchObject({ up: 1, down: 0 });
        expect(await store.setVote(room.id, entry.id, "v1", 0)).toMatchObject({ up: 1, down: 0 });
        expect(await store.listVotes(room.id, "v1")).toEqual({});
        expect(await store.getEntry(room.id, entry.id)).toMatchObject({ up: 1, down: 0 });
      });

      it("refuses votes on entries that are not queued", async () => {
        const room = await openRoom();
        const entry = await queueTrack(room.id, "t1");
        await store.transitionEntry(room.id, entry.id, { from: "queued", to: "playing" });
        expect(await errorCode(store.setVote(room.id, entry.id, "v1", 1))).toBe("ENTRY_NOT_QUEUED");
        expect(await errorCode(store.setVote(room.id, "missing", "v1", 1))).toBe("ENTRY_NOT_FOUND");
      });

      it("ends hundreds of parallel votes in exact counts", async () => {
        const room = await openRoom();
        const entry = await queueTrack(room.id, "t1");
        const voters = options.parallelVoters ?? 300;
        const finals = Array.from({ length: voters }, (_, i): VoteValue => (i % 3 === 0 ? -1 : 1));
        await Promise.all(
          finals.map(async (value, i) => {
            await store.setVote(room.id, entry.id, `voter-${i}`, value === 1 ? -1 : 1);
            await store.setVote(room.id, entry.id, `voter-${i}`, value);
          }),
        );
        const up = finals.filter((v) => v === 1).length;
        expect(await store.getEntry(room.id, entry.id)).toMatchObject({ up, down: voters - up });
        if (options.countVoteRecords) {
          expect(await options.countVoteRecords(room.id, entry.id)).toEqual({ up, down: voters - up });
        }
      }, 180_000);

      it("matches the last vote of each voter for any interleaving", async () => {
        const room = await openRoom();
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom<VoteValue>(-1, 0, 1)), {
              minLength: 1,
              maxLength: 25,
            }),
            async (votes) => {
              const entry = await queueTrack(room.id, `p-${Math.random()}`);
              const byVoter = new Map<number, [number, VoteValue][]>();
              votes.forEach(([voter, value], i) => {
                byVoter.set(voter, [...(byVoter.get(voter) ?? []), [i, value]]);
              });
              // Each voter's votes go in order; different voters race.
              await Promise.all(
                [...byVoter.entries()].map(async ([voter, list]) => {
                  for (const [, value] of list) await store.setVote(room.id, entry.id, `pv-${voter}`, value);
                }),
              );
              const last = [...byVoter.values()].map((list) => list[list.length - 1]![1]);
              const stored = await store.getEntry(room.id, entry.id);
              expect(stored?.up).toBe(last.filter((v) => v === 1).length);
              expect(stored?.down).toBe(last.filter((v) => v === -1).length);
            },
          ),
          { numRuns: options.propertyRuns ?? 30 },
        );
      }, 180_000);

      it("counts each skip voter once, even in parallel", async () => {
        const room = await openRoom();
        const counts = await Promise.all(
          Array.from({ length: 30 }, (_, i) => store.addSkipVote(room.id, "play-1", `v${i % 10}`)),
        );
        expect(Math.max(...counts)).toBe(10);
        expect(await store.countSkipVotes(room.id, "play-1")).toBe(10);
        expect(await store.countSkipVotes(room.id, "play-2")).toBe(0);
      });
    });
  });
}
