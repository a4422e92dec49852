import type { Playback } from "../model.js";

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
export type RoomEventType = (typeof RoomEventType)[keyof typeof RoomEventType];

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
  publish(event: RoomEvent): Promise<void>;
}

/** Live subscriptions for streaming hosts (SSE). */
export interface RoomEventSource {
  subscribe(roomId: string, listener: (event: RoomEvent) => void): () => void;
}
