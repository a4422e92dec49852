export { DjRoomError, DjRoomErrorCode, type DjRoomErrorOptions, isDjRoomError } from "./errors.js";
export { admitAdd } from "./guest-limits.js";
export { createMemoryCatalog, demoTracks } from "./memory/demo-catalog.js";
export { createMemoryPlayer } from "./memory/demo-player.js";
export { createInProcessRoomEvents } from "./memory/in-process-events.js";
export { createMemoryRateLimiter } from "./memory/memory-rate-limiter.js";
export { createMemoryRoomStore } from "./memory/memory-room-store.js";
export {
  EntryStatus,
  type Guest,
  type Playback,
  PlaybackPhase,
  type PlayerReading,
  PlayerStatus,
  type QueueEntry,
  Role,
  type Room,
  RoomStatus,
  score,
  type VoteValue,
} from "./model.js";
export { type PlaybackEvent, skipThreshold, transitionPlayback } from "./playback-machine.js";
export { type Clock, epochMs, systemClock } from "./ports/clock.js";
export {
  type EventPublisher,
  type RoomEvent,
  type RoomEventSource,
  RoomEventType,
} from "./ports/event-publisher.js";
export type { MusicProvider } from "./ports/music-provider.js";
export type { PlaybackController, PlayerState } from "./ports/playback-controller.js";
export type { RateLimit, RateLimiter } from "./ports/rate-limiter.js";
export type { CreateRoomOptions, EntryTransition, RoomStore } from "./ports/room-store.js";
export { compareByVotes, orderQueue } from "./queue-order.js";
export { generateRoomCode, normalizeRoomCode, ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "./room-code.js";
export {
  type AddOutcome,
  createDjRoom,
  type DjRoom,
  type DjRoomOptions,
  type SessionGrant,
} from "./room-service.js";
export type { JoinRoomInput, OpenRoomInput, RoomSettingsPatchInput, VoteInput } from "./service/inputs.js";
export {
  createSessionTokens,
  type Session,
  type SessionTokenOptions,
  type SessionTokens,
} from "./session-tokens.js";
export {
  applySettingsPatch,
  defaultRoomSettings,
  type RoomLimits,
  type RoomSettings,
  type RoomSettingsPatch,
  roomSettingsPatchSchema,
  roomSettingsSchema,
} from "./settings.js";
export { type Track, trackIdSchema } from "./track.js";
export type { HistoryItemView, QueueItemView, RoomStateView, RoomView } from "./views.js";
