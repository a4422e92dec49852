import type { RoomSettings } from "./settings.js";
import type { Track } from "./track.js";

/** Whether a room takes guests. */
export const RoomStatus = { open: "open", closed: "closed" } as const;
/** One of the statuses of `RoomStatus`. */
export type RoomStatus = (typeof RoomStatus)[keyof typeof RoomStatus];

/** The phases of a room's playback. */
export const PlaybackPhase = {
  idle: "idle",
  playing: "playing",
  ended: "ended",
  skipped: "skipped",
} as const;
/** One of the phases of `PlaybackPhase`. */
export type PlaybackPhase = (typeof PlaybackPhase)[keyof typeof PlaybackPhase];

/** A room's playback: idle, or the play of one queue entry and how it stands. */
export type Playback =
  | { phase: "idle"; since: number }
  | { phase: "playing"; playId: string; entryId: string; track: Track; startedAt: number }
  | {
      phase: "ended" | "skipped";
      playId: string;
      entryId: string;
      track: Track;
      startedAt: number;
      endedAt: number;
    };

/** What the host's player was last seen doing. */
export const PlayerStatus = {
  unknown: "unknown",
  playing: "playing",
  paused: "paused",
  /** No device to play on (Spotify: 404 NO_ACTIVE_DEVICE, or nothing active). */
  noDevice: "no_device",
  /** The host's account cannot be driven (Spotify: 403 PREMIUM_REQUIRED). */
  premiumRequired: "premium_required",
  /** The host has not connected the player, or it refused our tokens. */
  notConnected: "not_connected",
} as const;
export type PlayerStatus = (typeof PlayerStatus)[keyof typeof PlayerStatus];

/** What the player last reported: its status and where in the track it is. */
export interface PlayerReading {
  status: PlayerStatus;
  progressMs: number | null;
  durationMs: number | null;
  /** When it was read (epoch ms): progress now is `progressMs + (now - at)` while playing. */
  at: number;
}

/** Times are epoch milliseconds. `version` guards read-modify-write updates. */
export interface Room {
  id: string;
  code: string;
  hostId: string;
  name: string;
  status: RoomStatus;
  settings: RoomSettings;
  playback: Playback;
  player: PlayerReading;
  /** When any instance should next ask the player about this room; null when nothing is due. */
  nextCheckAt: number | null;
  createdAt: number;
  lastActiveAt: number;
  closedAt: number | null;
  version: number;
}

/** A guest's role in a room. */
export const Role = { host: "host", guest: "guest" } as const;
/** One of the roles of `Role`. */
export type Role = (typeof Role)[keyof typeof Role];

/** A guest of a room (the host is one too), with their add limits' counters. */
export interface Guest {
  roomId: string;
  id: string;
  name: string;
  role: Role;
  banned: boolean;
  /** The browser the guest joined from (an HttpOnly cookie), so a ban follows it; null when unknown. */
  deviceId: string | null;
  joinedAt: number;
  lastSeenAt: number;
  /** Per-guest limit counters. */
  lastAddAt: number | null;
  addWindowStart: number;
  addWindowCount: number;
  version: number;
}

/** Where a queue entry is: queued, playing, played, skipped or removed. */
export const EntryStatus = {
  queued: "queued",
  playing: "playing",
  played: "played",
  skipped: "skipped",
  removed: "removed",
} as const;
/** One of the statuses of `EntryStatus`. */
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

/** A track in a room's queue, with who added it and its votes. */
export interface QueueEntry {
  roomId: string;
  id: string;
  /** Insertion order in the room; unique, so no ties. */
  seq: number;
  track: Track;
  addedBy: string;
  addedAt: number;
  status: EntryStatus;
  up: number;
  down: number;
  /** Set by the host's "play next": pinned entries go first, the latest pin on top. */
  pinnedSeq: number | null;
  endedAt: number | null;
}

/** A vote: up (1), down (-1) or none (0). */
export type VoteValue = -1 | 0 | 1;

/** An entry's score: up votes less down votes. */
export const score = (entry: Pick<QueueEntry, "up" | "down">): number => entry.up - entry.down;
