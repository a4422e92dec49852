import { DjRoomError } from "../errors.js";
import type { EntryStatus, Guest, QueueEntry, Room, VoteValue } from "../model.js";
import type { CreateRoomOptions, EntryTransition, RoomStore } from "../ports/room-store.js";

const copy = <T>(value: T): T => structuredClone(value);

const versionConflict = (what: string, expected: number, actual: number | undefined): never => {
  throw new DjRoomError("CONFLICT", `${what} changed since it was read`, {
    details: { expectedVersion: expected, actualVersion: actual ?? null },
  });
};

interface RoomData {
  room: Room;
  sequence: number;
  changes: number;
  guests: Map<string, Guest>;
  entries: Map<string, QueueEntry>;
  /** trackId -> entryId of the queued entry holding it. */
  queuedTracks: Map<string, string>;
  /** `${voterId}\u0000${entryId}` -> vote. */
  votes: Map<string, VoteValue>;
  skipVotes: Map<string, Set<string>>;
}

/**
 * The in-memory `RoomStore`: the same conflict rules as the DynamoDB store. Each method runs
 * without awaiting between its check and its write, which makes it atomic in one process.
 */
export function createMemoryRoomStore(): RoomStore {
  const rooms = new Map<string, RoomData>();
  const codes = new Map<string, string>();

  const data = (roomId: string): RoomData => {
    const found = rooms.get(roomId);
    if (!found) throw new DjRoomError("ROOM_NOT_FOUND", `No room ${roomId}`);
    return found;
  };
  const openRoomsOf = (hostId: string) =>
    [...rooms.values()].filter((d) => d.room.hostId === hostId && d.room.status === "open").length;
  const claim = (code: string, roomId: string, hostId: string, options: CreateRoomOptions) => {
    if (codes.has(code)) throw new DjRoomError("ROOM_CODE_TAKEN", `Room code ${code} is in use`);
    if (openRoomsOf(hostId) >= options.maxOpenRoomsPerHost) {
      throw new DjRoomError(
        "HOST_ROOM_LIMIT",
        `The host already has ${options.maxOpenRoomsPerHost} open room(s)`,
        {
          details: { maxOpenRoomsPerHost: options.maxOpenRoomsPerHost },
        },
      );
    }
    codes.set(code, roomId);
  };
  const entryOf = (d: RoomData, entryId: string): QueueEntry => {
    const entry = d.entries.get(entryId);
    if (!entry) throw new DjRoomError("ENTRY_NOT_FOUND", `No entry ${entryId}`);
    return entry;
  };

  return {
    async createRoom(room, options, host) {
      if (rooms.has(room.id)) throw new DjRoomError("CONFLICT", `Room ${room.id} exists`);
      if (host && host.roomId !== room.id)
        throw new DjRoomError("VALIDATION_FAILED", "The host guest belongs to another room");
      claim(room.code, room.id, room.hostId, options);
      rooms.set(room.id, {
        room: copy(room),
        sequence: 0,
        changes: 0,
        guests: new Map(host ? [[host.id, copy(host)]] : []),
        entries: new Map(),
        queuedTracks: new Map(),
        votes: new Map(),
        skipVotes: new Map(),
      });
    },
    async getRoom(roomId) {
      const d = rooms.get(roomId);
      return d ? copy(d.room) : null;
    },
    async findOpenRoomId(code) {
      return codes.get(code) ?? null;
    },
    async listRoomsByHost(hostId) {
      return [...rooms.values()].filter((d) => d.room.hostId === hostId).map((d) => copy(d.room));
    },
    async updateRoom(room, expectedVersion) {
      const d = data(room.id);
      if (d.room.version !== expectedVersion) versionConflict("Room", expectedVersion, d.room.version);
      const { status, code, hostId, closedAt } = d.room;
      d.room = { ...copy(room), status, code, hostId, closedAt, version: expectedVersion + 1 };
      return copy(d.room);
    },
    async closeRoom(roomId, expectedVersion, closedAt) {
      const d = data(roomId);
      if (d.room.version !== expectedVersion) versionConflict("Room", expectedVersion, d.room.version);
      if (d.room.status === "closed") throw new DjRoomError("ROOM_CLOSED", `Room ${roomId} is closed`);
      if (codes.get(d.room.code) === roomId) codes.delete(d.room.code);
      d.room = { ...d.room, status: "closed", closedAt, nextCheckAt: null, version: expectedVersion + 1 };
      return copy(d.room);
    },
    async reopenRoom(roomId, code, expectedVersion, options, reopenedAt) {
      const d = data(roomId);
      if (d.room.version !== expectedVersion) versionConflict("Room", expectedVersion, d.room.version);
      if (d.room.status === "open") throw new DjRoomError("CONFLICT", `Room ${roomId} is open`);
      claim(code, roomId, d.room.hostId, options);
      d.room = {
        ...d.room,
        status: "open",
        code,
        closedAt: null,
        lastActiveAt: reopenedAt,
        version: expectedVersion + 1,
      };
      return copy(d.room);
    },
    async listDueRooms(dueBy, limit) {
      return [...rooms.values()]
        .map((d) => d.room)
        .filter((r) => r.status === "open" && r.nextCheckAt !== null && r.nextCheckAt <= dueBy)
        .sort((a, b) => (a.nextCheckAt ?? 0) - (b.nextCheckAt ?? 0))
        .slice(0, limit)
        .map((r) => r.id);
    },
    async nextChangeVersion(roomId) {
      const d = data(roomId);
      d.changes += 1;
      return d.changes;
    },
    async changeVersion(roomId) {
      return rooms.get(roomId)?.changes ?? 0;
    },

    async nextSequence(roomId) {
      const d = data(roomId);
      d.sequence += 1;
      return d.sequence;
    },

    async createGuest(guest) {
      const d = data(guest.roomId);
      if (d.guests.has(guest.id)) throw new DjRoomError("CONFLICT", `Guest ${guest.id} exists`);
      d.guests.set(guest.id, copy(guest));
    },
    async getGuest(roomId, guestId) {
      const guest = rooms.get(roomId)?.guests.get(guestId);
      return guest ? copy(guest) : null;
    },
    async listGuests(roomId) {
      return [...(rooms.get(roomId)?.guests.values() ?? [])].map(copy);
    },
    async updateGuest(guest, expectedVersion) {
      const d = data(guest.roomId);
      const stored = d.guests.get(guest.id);
      if (!stored) throw new DjRoomError("GUEST_NOT_FOUND", `No guest ${guest.id}`);
      if (stored.version !== expectedVersion) versionConflict("Guest", expectedVersion, stored.version);
      const next = { ...copy(guest), version: expectedVersion + 1 };
      d.guests.set(guest.id, next);
      return copy(next);
    },

    async addEntry(entry, guest, expectedGuestVersion) {
      const d = data(entry.roomId);
      const holder = d.queuedTracks.get(entry.track.id);
      if (holder !== undefined) {
        throw new DjRoomError("TRACK_ALREADY_QUEUED", `Track ${entry.track.id} is already queued`, {
          details: { entryId: holder },
        });
      }
      const stored = d.guests.get(guest.id);
      if (!stored) throw new DjRoomError("GUEST_NOT_FOUND", `No guest ${guest.id}`);
      if (stored.version !== expectedGuestVersion)
        versionConflict("Guest", expectedGuestVersion, stored.version);
      if (d.entries.has(entry.id)) throw new DjRoomError("CONFLICT", `Entry ${entry.id} exists`);
      d.guests.set(guest.id, { ...copy(guest), version: expectedGuestVersion + 1 });
      d.entries.set(entry.id, copy(entry));
      d.queuedTracks.set(entry.track.id, entry.id);
    },
    async getEntry(roomId, entryId) {
      const entry = rooms.get(roomId)?.entries.get(entryId);
      return entry ? copy(entry) : null;
    },
    async listEntries(roomId, statuses?: readonly EntryStatus[]) {
      const all = [...(rooms.get(roomId)?.entries.values() ?? [])];
      return all.filter((e) => !statuses || statuses.includes(e.status)).map(copy);
    },
    async transitionEntry(roomId, entryId, transition: EntryTransition) {
      const d = data(roomId);
      const entry = entryOf(d, entryId);
      if (entry.status !== transition.from) {
        throw new DjRoomError(
          transition.from === "queued" ? "ENTRY_NOT_QUEUED" : "CONFLICT",
          `Entry ${entryId} is ${entry.status}, not ${transition.from}`,
          { details: { status: entry.status } },
        );
      }
      const next: QueueEntry = {
        ...entry,
        status: transition.to,
        endedAt: transition.endedAt === undefined ? entry.endedAt : transition.endedAt,
      };
      d.entries.set(entryId, next);
      if (transition.from === "queued" && d.queuedTracks.get(entry.track.id) === entryId) {
        d.queuedTracks.delete(entry.track.id);
      }
      return copy(next);
    },
    async pinEntry(roomId, entryId, pinnedSeq) {
      const d = data(roomId);
      const entry = entryOf(d, entryId);
      if (entry.status !== "queued")
        throw new DjRoomError("ENTRY_NOT_QUEUED", `Entry ${entryId} is ${entry.status}`);
      const next = { ...entry, pinnedSeq };
      d.entries.set(entryId, next);
      return copy(next);
    },

    async setVote(roomId, entryId, voterId, value) {
      const d = data(roomId);
      const entry = entryOf(d, entryId);
      if (entry.status !== "queued")
        throw new DjRoomError("ENTRY_NOT_QUEUED", `Entry ${entryId} is ${entry.status}`);
      const key = `${voterId}\u0000${entryId}`;
      const previous = d.votes.get(key) ?? 0;
      const next = {
        ...entry,
        up: entry.up + (value === 1 ? 1 : 0) - (previous === 1 ? 1 : 0),
        down: entry.down + (value === -1 ? 1 : 0) - (previous === -1 ? 1 : 0),
      };
      if (value === 0) d.votes.delete(key);
      else d.votes.set(key, value);
      d.entries.set(entryId, next);
      return copy(next);
    },
    async listVotes(roomId, voterId) {
      const result: Record<string, VoteValue> = {};
      const prefix = `${voterId}\u0000`;
      for (const [key, value] of rooms.get(roomId)?.votes ?? []) {
        if (key.startsWith(prefix)) result[key.slice(prefix.length)] = value;
      }
      return result;
    },

    async addSkipVote(roomId, playId, voterId) {
      const d = data(roomId);
      const voters = d.skipVotes.get(playId) ?? new Set<string>();
      voters.add(voterId);
      d.skipVotes.set(playId, voters);
      return voters.size;
    },
    async countSkipVotes(roomId, playId) {
      return rooms.get(roomId)?.skipVotes.get(playId)?.size ?? 0;
    },
  };
}
