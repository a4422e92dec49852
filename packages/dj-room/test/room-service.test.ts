import { isDjRoomError, type RoomSettingsPatchInput, type Session } from "@portside/dj-room";
import { describe, expect, it } from "vitest";
import { testRoom } from "./support.js";

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDjRoomError(error)) return error.code;
    throw error;
  }
  return "ok";
}

async function setUp(settings?: RoomSettingsPatchInput) {
  const t = testRoom();
  const host = await t.dj.openRoom("host-1", { name: "Friday", settings });
  const hostSession = await t.dj.authenticate(host.token);
  const join = async (name: string): Promise<Session> =>
    t.dj.authenticate((await t.dj.joinRoom(host.room.code.toLowerCase(), { name })).token);
  return { ...t, host, hostSession, join };
}

describe("rooms", () => {
  it("opens a room with a server-picked code the guests join by, in any case", async () => {
    const { dj, host, join } = await setUp();
    expect(host.room.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(host.guest.role).toBe("host");
    expect((await dj.findRoom(` ${host.room.code.toLowerCase()} `)).id).toBe(host.room.id);
    const guest = await join("Ada");
    expect(guest).toMatchObject({ roomId: host.room.id, role: "guest" });
    expect(await codeOf(dj.joinRoom("ZZZZZZ", { name: "x" }))).toBe("ROOM_NOT_FOUND");
    expect(await codeOf(dj.joinRoom(host.room.code, { name: "" }))).toBe("VALIDATION_FAILED");
  });

  it("retries the code on collision", async () => {
    const codes = ["AAAAAA", "AAAAAA", "BBBBBB"];
    let call = 0;
    const t = testRoom({ maxOpenRoomsPerHost: 5, random: () => 0 });
    // random: () => 0 always yields "AAAAAA": the second room must fail after its retries.
    await t.dj.openRoom("h", {});
    expect(await codeOf(t.dj.openRoom("h", {}))).toBe("CONFLICT");
    const sequenced = testRoom({
      maxOpenRoomsPerHost: 5,
      random: () => {
        const code = codes[Math.floor(call / 6)]!;
        call++;
        return "ABCDEFGHJKMNPQRSTVWXYZ23456789".indexOf(code[0]!);
      },
    });
    expect((await sequenced.dj.openRoom("h", {})).room.code).toBe("AAAAAA");
    expect((await sequenced.dj.openRoom("h", {})).room.code).toBe("BBBBBB");
  });

  it("keeps one open room per host unless configured otherwise", async () => {
    const { dj } = await setUp();
    expect(await codeOf(dj.openRoom("host-1", {}))).toBe("HOST_ROOM_LIMIT");
    const roomy = testRoom({ maxOpenRoomsPerHost: 2 });
    await roomy.dj.openRoom("h", {});
    await roomy.dj.openRoom("h", {});
    expect(await codeOf(roomy.dj.openRoom("h", {}))).toBe("HOST_ROOM_LIMIT");
  });

  it("closes and reopens; a closed room cannot be joined or used", async () => {
    const { dj, host, hostSession, join, events } = await setUp();
    const guest = await join("Ada");
    await dj.closeRoom(hostSession);
    expect(events.at(-1)).toMatchObject({ type: "room.closed" });
    expect(await codeOf(dj.joinRoom(host.room.code, { name: "late" }))).toBe("ROOM_NOT_FOUND");
    expect(await codeOf(dj.addTrack(guest, "demo-01"))).toBe("ROOM_CLOSED");
    expect(await codeOf(dj.reopenRoom("someone-else", host.room.id))).toBe("FORBIDDEN");
    const reopened = await dj.reopenRoom("host-1", host.room.id);
    expect(reopened.room).toMatchObject({ status: "open", code: host.room.code });
    await dj.addTrack(guest, "demo-01");
  });

  it("reopens a room closed for hours as active again", async () => {
    const { dj, host, hostSession, clock } = await setUp();
    await dj.closeRoom(hostSession);
    clock.advance(6 * 60 * 60 * 1000);
    const reopened = await dj.reopenRoom("host-1", host.room.id);
    const session = await dj.authenticate(reopened.token);
    expect((await dj.addTrack(session, "demo-01")).outcome).toBe("added");
  });

  it("expires idle rooms, freeing the host's slot", async () => {
    const { dj, host, clock, join } = await setUp();
    const guest = await join("Ada");
    clock.advance(4 * 60 * 60 * 1000 + 1);
    expect(await codeOf(dj.addTrack(guest, "demo-01"))).toBe("ROOM_CLOSED");
    expect(await codeOf(dj.findRoom(host.room.code))).toBe("ROOM_NOT_FOUND");
    const next = await dj.openRoom("host-1", {});
    expect(next.room.id).not.toBe(host.room.id);
  });

  it("frees the host's slot from an idle room on the next open", async () => {
    const { dj, clock } = await setUp();
    clock.advance(5 * 60 * 60 * 1000);
    expect((await dj.openRoom("host-1", {})).room.status).toBe("open");
  });
});

describe("queue", () => {
  it("takes track metadata from the provider and refuses unknown tracks", async () => {
    const { dj, join } = await setUp();
    const ada = await join("Ada");
    const added = await dj.addTrack(ada, "demo-03");
    expect(added.outcome).toBe("added");
    expect(added.entry.track).toMatchObject({
      id: "demo-03",
      title: "Paper Lanterns",
      artists: ["Juniper Vale"],
    });
    expect(await codeOf(dj.addTrack(ada, "nope"))).toBe("TRACK_NOT_FOUND");
    expect(await codeOf(dj.addTrack(ada, "bad id!"))).toBe("VALIDATION_FAILED");
  });

  it("counts adding a queued track as the adder's vote", async () => {
    const { dj, join, hostSession } = await setUp();
    const [ada, bob] = [await join("Ada"), await join("Bob")];
    const first = await dj.addTrack(ada, "demo-01");
    const again = await dj.addTrack(bob, "demo-01");
    expect(again).toMatchObject({ outcome: "voted", entry: { id: first.entry.id, up: 1, myVote: 1 } });
    await dj.addTrack(bob, "demo-01");
    const state = await dj.getState(hostSession);
    expect(state.queue).toHaveLength(1);
    expect(state.queue[0]).toMatchObject({ up: 1, score: 1 });
  });

  it("orders by votes and shows each guest their own votes", async () => {
    const { dj, join } = await setUp();
    const [ada, bob, cy] = [await join("Ada"), await join("Bob"), await join("Cy")];
    const a = await dj.addTrack(ada, "demo-01");
    const b = await dj.addTrack(bob, "demo-02");
    await dj.vote(cy, b.entry.id, 1);
    await dj.vote(ada, b.entry.id, 1);
    await dj.vote(bob, a.entry.id, -1);
    const state = await dj.getState(ada);
    expect(state.queue.map((e) => [e.track.id, e.score, e.myVote])).toEqual([
      ["demo-02", 2, 1],
      ["demo-01", -1, 0],
    ]);
    expect(await codeOf(dj.vote(ada, a.entry.id, 2 as never))).toBe("VALIDATION_FAILED");
  });

  it("orders round-robin across guests in fair-share mode", async () => {
    const { dj, join, hostSession } = await setUp({ fairShare: true });
    const [ada, bob] = [await join("Ada"), await join("Bob")];
    await dj.addTrack(ada, "demo-01");
    await dj.addTrack(ada, "demo-02");
    const b = await dj.addTrack(bob, "demo-03");
    await dj.vote(ada, b.entry.id, -1);
    const ids = (await dj.getState(hostSession)).queue.map((e) => e.track.id);
    expect(ids).toEqual(["demo-01", "demo-03", "demo-02"]);
  });

  it("answers over a limit with limit_exceeded and a retry time", async () => {
    const { dj, join, hostSession, clock } = await setUp({
      limits: { maxQueuedPerGuest: 2, cooldownSeconds: 20 },
    });
    const ada = await join("Ada");
    await dj.addTrack(ada, "demo-01");
    const refused = await dj.addTrack(ada, "demo-02").catch((e) => e);
    expect(refused).toMatchObject({
      code: "LIMIT_EXCEEDED",
      retryAfterSeconds: 20,
      details: { limit: "cooldown" },
    });
    clock.advance(20_000);
    await dj.addTrack(ada, "demo-02");
    clock.advance(20_000);
    expect((await dj.addTrack(ada, "demo-04").catch((e) => e)).details).toMatchObject({
      limit: "maxQueuedPerGuest",
    });
    // The host is not held to guest limits.
    await dj.addTrack(hostSession, "demo-05");
    await dj.addTrack(hostSession, "demo-06");
    await dj.addTrack(hostSession, "demo-07");
  });

  it("enforces the queued limit for one guest adding in parallel", async () => {
    const { dj, join, hostSession } = await setUp({ limits: { maxQueuedPerGuest: 3, addsPerMinute: 100 } });
    const ada = await join("Ada");
    const ids = ["demo-01", "demo-02", "demo-03", "demo-04", "demo-05", "demo-06"];
    const results = await Promise.allSettled(ids.map((id) => dj.addTrack(ada, id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await dj.getState(hostSession)).queue).toHaveLength(3);
  });
});

describe("host controls", () => {
  it("lets only the host remove, pin, skip, ban and lock", async () => {
    const { dj, join } = await setUp();
    const ada = await join("Ada");
    const { entry } = await dj.addTrack(ada, "demo-01");
    expect(await codeOf(dj.removeEntry(ada, entry.id))).toBe("FORBIDDEN");
    expect(await codeOf(dj.playNext(ada, entry.id))).toBe("FORBIDDEN");
    expect(await codeOf(dj.skip(ada))).toBe("FORBIDDEN");
    expect(await codeOf(dj.banGuest(ada, ada.guestId))).toBe("FORBIDDEN");
    expect(await codeOf(dj.updateSettings(ada, { locked: true }))).toBe("FORBIDDEN");
  });

  it("removes an entry and plays a chosen one next", async () => {
    const { dj, join, hostSession } = await setUp();
    const ada = await join("Ada");
    const a = await dj.addTrack(ada, "demo-01");
    const b = await dj.addTrack(ada, "demo-02");
    const c = await dj.addTrack(ada, "demo-03");
    await dj.vote(ada, a.entry.id, 1);
    await dj.playNext(hostSession, c.entry.id);
    await dj.removeEntry(hostSession, b.entry.id);
    expect((await dj.getState(ada)).queue.map((e) => [e.track.id, e.pinned])).toEqual([
      ["demo-03", true],
      ["demo-01", false],
    ]);
    expect(await codeOf(dj.vote(ada, b.entry.id, 1))).toBe("ENTRY_NOT_QUEUED");
  });

  it("locks the queue to guests", async () => {
    const { dj, join, hostSession } = await setUp();
    const ada = await join("Ada");
    await dj.updateSettings(hostSession, { locked: true });
    expect(await codeOf(dj.addTrack(ada, "demo-01"))).toBe("QUEUE_LOCKED");
    await dj.addTrack(hostSession, "demo-01");
    expect(await codeOf(dj.updateSettings(hostSession, { locked: "yes" } as never))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("bans a guest: their session stops working and their tracks leave the queue", async () => {
    const { dj, join, hostSession } = await setUp();
    const [ada, bob] = [await join("Ada"), await join("Bob")];
    await dj.addTrack(ada, "demo-01");
    await dj.addTrack(bob, "demo-02");
    await dj.banGuest(hostSession, ada.guestId);
    expect(await codeOf(dj.addTrack(ada, "demo-03"))).toBe("GUEST_BANNED");
    expect((await dj.getState(bob)).queue.map((e) => e.track.id)).toEqual(["demo-02"]);
    expect(await codeOf(dj.banGuest(hostSession, hostSession.guestId))).toBe("FORBIDDEN");
  });
});

describe("playback", () => {
  it("plays the top of the queue, keeps history, and goes idle when the queue runs out", async () => {
    const { dj, join, hostSession, player } = await setUp();
    const ada = await join("Ada");
    await dj.addTrack(ada, "demo-01");
    await dj.addTrack(ada, "demo-02");
    const playing = await dj.start(hostSession);
    expect(playing).toMatchObject({ phase: "playing", track: { id: "demo-01" } });
    expect((await player.currentlyPlaying("host-1"))?.trackId).toBe("demo-01");
    expect((await dj.getState(ada)).queue.map((e) => e.track.id)).toEqual(["demo-02"]);
    const next = await dj.skip(hostSession);
    expect(next).toMatchObject({ phase: "playing", track: { id: "demo-02" } });
    const idle = await dj.skip(hostSession);
    expect(idle.phase).toBe("idle");
    const state = await dj.getState(ada);
    expect(state.history.map((h) => [h.track.id, h.status])).toEqual([
      ["demo-02", "skipped"],
      ["demo-01", "skipped"],
    ]);
    expect(await codeOf(dj.skip(hostSession))).toBe("INVALID_TRANSITION");
  });

  it("moves on when the host's player finishes the track", async () => {
    const { dj, join, hostSession, clock } = await setUp();
    const ada = await join("Ada");
    await dj.addTrack(ada, "demo-01");
    await dj.addTrack(ada, "demo-02");
    await dj.start(hostSession);
    clock.advance(100_000);
    expect((await dj.syncPlayback(hostSession.roomId)).phase).toBe("playing");
    clock.advance(200_000);
    const after = await dj.syncPlayback(hostSession.roomId);
    expect(after).toMatchObject({ phase: "playing", track: { id: "demo-02" } });
    expect((await dj.getState(ada)).history[0]).toMatchObject({ status: "played" });
  });

  it("ignores a late skip of a track that already changed", async () => {
    const { dj, join, hostSession } = await setUp();
    const ada = await join("Ada");
    await dj.addTrack(ada, "demo-01");
    await dj.addTrack(ada, "demo-02");
    const first = await dj.start(hostSession);
    if (first.phase !== "playing") throw new Error("not playing");
    await dj.skip(hostSession, first.playId);
    const stillSecond = await dj.skip(hostSession, first.playId);
    expect(stillSecond).toMatchObject({ phase: "playing", track: { id: "demo-02" } });
  });

  it("skips by vote once the share of active guests is reached", async () => {
    const { dj, join, hostSession, events } = await setUp({ voteSkip: { share: 0.5, minVotes: 2 } });
    const guests = [await join("A"), await join("B"), await join("C"), await join("D"), await join("E")];
    await dj.addTrack(guests[0]!, "demo-01");
    await dj.addTrack(guests[1]!, "demo-02");
    await dj.start(hostSession);
    // Six participants (host + five): three votes needed; a repeated vote counts once.
    expect(await dj.voteToSkip(guests[0]!)).toMatchObject({ votes: 1, needed: 3, skipped: false });
    expect(await dj.voteToSkip(guests[0]!)).toMatchObject({ votes: 1, skipped: false });
    expect(await dj.voteToSkip(guests[1]!)).toMatchObject({ votes: 2, skipped: false });
    expect((await dj.getState(hostSession)).skipVotes).toEqual({ votes: 2, needed: 3 });
    const third = await dj.voteToSkip(guests[2]!);
    expect(third).toMatchObject({ votes: 3, skipped: true, playback: { track: { id: "demo-02" } } });
    expect(events.some((e) => e.type === "now-playing.changed")).toBe(true);
  });

  it("publishes queue, vote and playback events for the room", async () => {
    const { dj, join, hostSession, bus } = await setUp();
    const seen: string[] = [];
    const stop = bus.subscribe(hostSession.roomId, (e) => seen.push(e.type));
    const ada = await join("Ada");
    const { entry } = await dj.addTrack(ada, "demo-01");
    await dj.vote(hostSession, entry.id, 1);
    await dj.start(hostSession);
    await dj.closeRoom(hostSession);
    stop();
    expect(seen).toEqual([
      "guest.joined",
      "queue.changed",
      "votes.changed",
      "now-playing.changed",
      "queue.changed",
      "room.closed",
    ]);
  });
});

describe("concurrency through the service", () => {
  it("keeps exact counts and one entry when many guests add and vote at once", async () => {
    const { dj, join, hostSession } = await setUp({ limits: { maxQueuedPerGuest: 5, addsPerMinute: 100 } });
    const guests = await Promise.all(Array.from({ length: 60 }, (_, i) => join(`g${i}`)));
    const outcomes = await Promise.all(guests.map((g) => dj.addTrack(g, "demo-07")));
    expect(outcomes.filter((o) => o.outcome === "added")).toHaveLength(1);
    const [entry] = (await dj.getState(hostSession)).queue;
    expect(entry).toMatchObject({ up: 59, down: 0 });
    await Promise.all(guests.map((g, i) => dj.vote(g, entry!.id, i % 2 === 0 ? -1 : 0)));
    expect((await dj.getState(hostSession)).queue[0]).toMatchObject({ up: 0, down: 30 });
  });

  it("counts guests who only watch the room as active for vote-to-skip", async () => {
    const { dj, join, hostSession, clock } = await setUp({ voteSkip: { share: 0.5, minVotes: 1 } });
    const guests = [await join("A"), await join("B"), await join("C")];
    await dj.addTrack(guests[0]!, "demo-01");
    clock.advance(20 * 60 * 1000);
    await dj.start(hostSession);
    // After 20 minutes only the host (who just acted) is active, until the others look again.
    expect((await dj.getState(hostSession)).skipVotes).toEqual({ votes: 0, needed: 1 });
    for (const g of guests) await dj.getState(g);
    expect((await dj.getState(hostSession)).skipVotes).toEqual({ votes: 0, needed: 2 });
  });
});
