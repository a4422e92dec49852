import { randomUUID } from "node:crypto";
import type { Guest, QueueEntry, Room } from "../model.js";
import { defaultRoomSettings } from "../settings.js";
import type { Track } from "../track.js";

/** A room for tests, with overrides. */
export function roomFixture(overrides: Partial<Room> = {}): Room {
  return {
    id: randomUUID(),
    code: randomCode(),
    hostId: `host-${randomUUID()}`,
    name: "Test room",
    status: "open",
    settings: defaultRoomSettings,
    playback: { phase: "idle", since: 0 },
    player: { status: "unknown", progressMs: null, durationMs: null, at: 0 },
    nextCheckAt: null,
    createdAt: 1,
    lastActiveAt: 1,
    closedAt: null,
    version: 0,
    ...overrides,
  };
}

/** A guest of a room for tests, with overrides. */
export function guestFixture(roomId: string, overrides: Partial<Guest> = {}): Guest {
  return {
    roomId,
    id: randomUUID(),
    name: "Guest",
    role: "guest",
    banned: false,
    deviceId: null,
    joinedAt: 1,
    lastSeenAt: 1,
    lastAddAt: null,
    addWindowStart: 0,
    addWindowCount: 0,
    version: 0,
    ...overrides,
  };
}

/** A track for tests. */
export function trackFixture(id: string): Track {
  return {
    provider: "test",
    id,
    uri: `test:track:${id}`,
    title: `Track ${id}`,
    artists: ["Tester"],
    album: null,
    durationMs: 180_000,
    imageUrl: null,
  };
}

/** A queue entry for tests. */
export function entryFixture(roomId: string, addedBy: string, seq: number, trackId: string): QueueEntry {
  return {
    roomId,
    id: randomUUID(),
    seq,
    track: trackFixture(trackId),
    addedBy,
    addedAt: seq,
    status: "queued",
    up: 0,
    down: 0,
    pinnedSeq: null,
    endedAt: null,
  };
}

const CODE_LETTERS = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
function randomCode(): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += CODE_LETTERS[Math.floor(Math.random() * CODE_LETTERS.length)];
  return code;
}
