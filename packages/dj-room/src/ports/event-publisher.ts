import type { Playback } from "../model.js";

/** The events a room publishes, for live updates. */
export const RoomEventType = {
  queueChanged: "queue.changed",
  votesChanged: "votes.changed",
  nowPlaying: "now-playing.changed",
  playerChanged: "player.changed",
  guestJoined: "guest.joined",
  settingsChanged: "settings.changed",
  roomClosed: "room.closed",
  roomReopened: "room.reopened",
} as const;
/** One of the types of `RoomEventType`. */
export type RoomEventType = (typeof RoomEventType)[keyof typeof RoomEventType];

/** One event of a room: its type, the room and what changed. */
export interface RoomEvent {
  type: RoomEventType;
  roomId: string;
  /** The room's change version after this change (`RoomStore.nextChangeVersion`). */
  version: number;
  at: number;
  /** Small facts about the change; clients refetch the state they show. */
  data: { entryId?: string; guestId?: string; playback?: Playback; [key: string]: unknown };
}

/** Where room events go: an in-process bus for SSE, EventBridge, or both. */
export interface EventPublisher {
  /** Publishes one room event. */
  publish(event: RoomEvent): Promise<void>;
}

/** Live subscriptions for streaming hosts (SSE). */
export interface RoomEventSource {
  /** Listens to a room's events; returns the unsubscribe function. */
  subscribe(roomId: string, listener: (event: RoomEvent) => void): () => void;
}
