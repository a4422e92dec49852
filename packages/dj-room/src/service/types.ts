import type { Role } from "../model.js";
import type { Clock } from "../ports/clock.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { MusicProvider } from "../ports/music-provider.js";
import type { PlaybackController } from "../ports/playback-controller.js";
import type { RoomStore } from "../ports/room-store.js";
import type { RandomIndex } from "../room-code.js";
import type { SessionTokens } from "../session-tokens.js";
import type { QueueItemView, RoomView } from "../views.js";

// Options and results of createDjRoom.

/** Options of `createDjRoom`: the store, music provider, player, events, session tokens and clock. */
export interface DjRoomOptions {
  store: RoomStore;
  provider: MusicProvider;
  tokens: SessionTokens;
  /** The host's player; without one the room keeps its own now-playing state only. */
  player?: PlaybackController;
  events?: EventPublisher;
  clock?: Clock;
  /** Rooms with no activity for this long close themselves. Default 4 hours. */
  idleTimeoutMs?: number;
  /** Default 1. */
  maxOpenRoomsPerHost?: number;
  /** Guests seen within this window count toward vote-to-skip. Default 15 minutes. */
  activeWindowMs?: number;
  random?: RandomIndex;
  /** Called when publishing an event or driving the player fails; the room state stands. */
  onSideEffectError?: (error: unknown, context: string) => void;
}

/** A session handed to a host or a guest: its token, when it expires, the guest and the room. */
export interface SessionGrant {
  token: string;
  expiresAt: number;
  guest: { id: string; name: string; role: Role };
  room: RoomView;
}

/** What adding a track did: added it, or voted for it when it was queued already. */
export type AddOutcome = { outcome: "added" | "voted"; entry: QueueItemView };
