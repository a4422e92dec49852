import type { Guest, Playback, PlayerReading, PlayerStatus, QueueEntry, Role, Room } from "./model.js";
import { score } from "./model.js";
import type { RoomSettings } from "./settings.js";
import type { Track } from "./track.js";

/** A room as clients see it. */
export interface RoomView {
  id: string;
  code: string;
  name: string;
  status: Room["status"];
  settings: RoomSettings;
  playback: Playback;
  player: PlayerReading & { message: string | null };
  createdAt: number;
}

/** A queue entry as clients see it, with the caller's own vote. */
export interface QueueItemView {
  id: string;
  position: number;
  track: Track;
  addedBy: { id: string; name: string };
  score: number;
  up: number;
  down: number;
  pinned: boolean;
  myVote: -1 | 0 | 1;
}

/** A played track as clients see it. */
export interface HistoryItemView {
  id: string;
  track: Track;
  status: QueueEntry["status"];
  endedAt: number | null;
}

/** Everything a client shows: the room, what plays, the ordered queue and the history. */
export interface RoomStateView {
  /** The room's change version when this was read: events at or below it are already in here. */
  version: number;
  room: RoomView;
  me: { id: string; name: string; role: Role | "viewer" };
  queue: QueueItemView[];
  history: HistoryItemView[];
  guests: { id: string; name: string; role: Role; banned: boolean }[];
  skipVotes: { votes: number; needed: number } | null;
}

const PLAYER_MESSAGES: Partial<Record<PlayerStatus, string>> = {
  no_device: "Open Spotify on a phone, computer or speaker and press play: the room resumes by itself",
  premium_required: "Spotify lets apps control playback for Premium accounts only",
  not_connected: "Connect Spotify again",
};

export function roomView(room: Room): RoomView {
  const { id, code, name, status, settings, playback, createdAt } = room;
  const player = room.player ?? { status: "unknown", progressMs: null, durationMs: null, at: 0 };
  return {
    id,
    code,
    name,
    status,
    settings,
    playback,
    player: { ...player, message: PLAYER_MESSAGES[player.status] ?? null },
    createdAt,
  };
}

export function queueItemView(
  entry: QueueEntry,
  position: number,
  guests: ReadonlyMap<string, Guest>,
  myVotes: Record<string, -1 | 0 | 1>,
): QueueItemView {
  return {
    id: entry.id,
    position,
    track: entry.track,
    addedBy: { id: entry.addedBy, name: guests.get(entry.addedBy)?.name ?? "someone" },
    score: score(entry),
    up: entry.up,
    down: entry.down,
    pinned: entry.pinnedSeq !== null,
    myVote: myVotes[entry.id] ?? 0,
  };
}
