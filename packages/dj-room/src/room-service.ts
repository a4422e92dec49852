import { createRoomContext } from "./service/context.js";
import { playbackUseCases } from "./service/playback.js";
import { queueUseCases } from "./service/queue.js";
import { roomUseCases } from "./service/rooms.js";
import type { DjRoomOptions } from "./service/types.js";

export type { AddOutcome, DjRoomOptions, SessionGrant } from "./service/types.js";

export type DjRoom = ReturnType<typeof createDjRoom>;

/** The dj-room application: every use case, over the ports it is given. */
export function createDjRoom(options: DjRoomOptions) {
  const ctx = createRoomContext(options);
  return { ...roomUseCases(ctx), ...queueUseCases(ctx), ...playbackUseCases(ctx) };
}
