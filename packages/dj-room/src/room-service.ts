import { createRoomContext } from "./service/context.js";
import { playbackUseCases } from "./service/playback.js";
import { queueUseCases } from "./service/queue.js";
import { roomUseCases } from "./service/rooms.js";
import type { DjRoomOptions } from "./service/types.js";

export type { AddOutcome, DjRoomOptions, SessionGrant } from "./service/types.js";

/** The room service `createDjRoom` returns: rooms, guests, the queue, votes and playback. */
export type DjRoom = ReturnType<typeof createDjRoom>;

/** The dj-room application: every use case, over the ports it is given. */
export function createDjRoom(options: DjRoomOptions) {
  const ctx = createRoomContext(options);
  const queue = queueUseCases(ctx);
  const playback = playbackUseCases(ctx);
  return {
    ...roomUseCases(ctx),
    ...queue,
    ...playback,
    /** The room as the session sees it; a playback check that fell due runs first. */
    async getState(session: Parameters<typeof queue.getState>[0]) {
      await playback.checkRoomIfDue(session.roomId);
      return queue.getState(session);
    },
  };
}
