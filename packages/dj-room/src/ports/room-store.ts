import type { EntryStatus, Guest, QueueEntry, Room, VoteValue } from "../model.js";

/** Limits the store enforces when it creates a room. */
export interface CreateRoomOptions {
  /** The host may hold at most this many open rooms; the store enforces it atomically. */
  maxOpenRoomsPerHost: number;
}

/** A queue entry's move from one status to another, checked and applied atomically by the store. */
export interface EntryTransition {
  from: EntryStatus;
  to: EntryStatus;
  endedAt?: number | null;
}

/**
 * Persistence of rooms, guests, queue entries and votes. Every method is atomic: a conflict
 * throws a `DjRoomError` and writes nothing.
 *
 * - `createRoom`: `room_code_taken` when an open room holds the code, `host_room_limit` when
 *   the host already holds `maxOpenRoomsPerHost` open rooms.
 * - `updateRoom`, `updateGuest`: `conflict` when the stored `version` is not `expectedVersion`;
 *   the stored version becomes `expectedVersion + 1`.
 * - `addEntry`: `track_already_queued` (details.entryId) when the track is queued in the room,
 *   `conflict` when the guest changed since it was read.
 * - `setVote`: one vote per voter per entry, counts exact under concurrency; `entry_not_queued`
 *   unless the entry is queued.
 */
export interface RoomStore {
  /** Creates the room, and its host's guest record when given, in one step. */
  createRoom(room: Room, options: CreateRoomOptions, host?: Guest): Promise<void>;
  /** One room, or null. */
  getRoom(roomId: string): Promise<Room | null>;
  /** The id of the open room with this code, or null. */
  findOpenRoomId(code: string): Promise<string | null>;
  /** A host's rooms. */
  listRoomsByHost(hostId: string): Promise<Room[]>;
  /** Replaces a room at the expected version (a conflict otherwise). */
  updateRoom(room: Room, expectedVersion: number): Promise<Room>;
  /** Marks the room closed and frees its code and the host's slot. */
  closeRoom(roomId: string, expectedVersion: number, closedAt: number): Promise<Room>;
  /**
   * Opens a closed room under `code` (its old one, or a new one when that was taken), active
   * from `reopenedAt`.
   */
  reopenRoom(
    roomId: string,
    code: string,
    expectedVersion: number,
    options: CreateRoomOptions,
    reopenedAt: number,
  ): Promise<Room>;
  /**
   * Open rooms whose `nextCheckAt` is at or before `dueBy`, soonest first (may lag a write by
   * a moment; callers re-read the room).
   */
  listDueRooms(dueBy: number, limit: number): Promise<string[]>;
  /** A room-wide increasing number (gaps allowed). */
  nextSequence(roomId: string): Promise<number>;
  /**
   * Counts one more change of the room and returns the new count: the `version` its event
   * carries. Clients that saw `version` v have seen every change up to v.
   */
  nextChangeVersion(roomId: string): Promise<number>;
  /** The room's change count so far (0 before the first change). */
  changeVersion(roomId: string): Promise<number>;

  /** Adds a guest to a room. */
  createGuest(guest: Guest): Promise<void>;
  /** One guest of a room, or null. */
  getGuest(roomId: string, guestId: string): Promise<Guest | null>;
  /** A room's guests. */
  listGuests(roomId: string): Promise<Guest[]>;
  /** Replaces a guest at the expected version (a conflict otherwise). */
  updateGuest(guest: Guest, expectedVersion: number): Promise<Guest>;

  /** Queues an entry and updates the guest's counters, atomically, at the guest's expected version. */
  addEntry(entry: QueueEntry, guest: Guest, expectedGuestVersion: number): Promise<void>;
  /** One queue entry, or null. */
  getEntry(roomId: string, entryId: string): Promise<QueueEntry | null>;
  /** A room's entries, optionally only those in the given statuses. */
  listEntries(roomId: string, statuses?: readonly EntryStatus[]): Promise<QueueEntry[]>;
  /** Moves an entry between statuses if it is in `from`; leaving `queued` frees its track. */
  transitionEntry(roomId: string, entryId: string, transition: EntryTransition): Promise<QueueEntry>;
  /** Pins a queued entry ("play next"). */
  pinEntry(roomId: string, entryId: string, pinnedSeq: number): Promise<QueueEntry>;

  /** Sets a voter's vote on an entry and returns the entry with exact counts. */
  setVote(roomId: string, entryId: string, voterId: string, value: VoteValue): Promise<QueueEntry>;
  /** The voter's non-zero votes, by entry id. */
  listVotes(roomId: string, voterId: string): Promise<Record<string, VoteValue>>;

  /** Records a vote to skip one play; returns how many distinct voters asked. */
  addSkipVote(roomId: string, playId: string, voterId: string): Promise<number>;
  /** How many guests asked to skip this play. */
  countSkipVotes(roomId: string, playId: string): Promise<number>;
}
