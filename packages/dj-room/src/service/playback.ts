import { randomUUID } from "node:crypto";
import { DjRoomError, isDjRoomError } from "../errors.js";
import type { Playback } from "../model.js";
import { skipThreshold, transitionPlayback } from "../playback-machine.js";
import type { Session } from "../session-tokens.js";
import type { RoomContext } from "./context.js";
import { CONFLICT_RETRIES } from "./support.js";

/** Now playing: start, skip, vote to skip, and following the host's player. */
export function playbackUseCases(ctx: RoomContext) {
  const {
    store,
    player,
    clock,
    publish,
    drivePlayer,
    openRoomOf,
    touchGuest,
    requireSession,
    requireHost,
    orderedQueue,
    activeParticipants,
  } = ctx;
  /**
   * Ends (or skips) what is playing and starts the top of the queue, or goes idle. The room's
   * version makes one caller win; `expectedPlayId` keeps a late skip from skipping the next track.
   */
  const advance = async (
    roomId: string,
    how: "end" | "skip" | "start",
    expectedPlayId?: string,
  ): Promise<Playback> => {
    for (let attempt = 0; ; attempt++) {
      const room = await openRoomOf(roomId);
      const current = room.playback;
      const currentPlayId = current.phase === "idle" ? undefined : current.playId;
      if (expectedPlayId !== undefined && currentPlayId !== expectedPlayId) return current;
      if (how === "start" && current.phase === "playing") return current;
      const now = clock.now();
      let playback =
        current.phase === "playing"
          ? transitionPlayback(current, { type: how === "skip" ? "skip" : "end", at: now })
          : current;
      const [next] = await orderedQueue(room);
      playback = next
        ? transitionPlayback(playback, { type: "start", playId: randomUUID(), entry: next, at: now })
        : transitionPlayback(playback, { type: "stop", at: now });
      try {
        await store.updateRoom({ ...room, playback, lastActiveAt: now }, room.version);
      } catch (error) {
        if (isDjRoomError(error, "conflict") && attempt < CONFLICT_RETRIES) continue;
        throw error;
      }
      if (current.phase === "playing") {
        const to = how === "skip" ? "skipped" : "played";
        await store
          .transitionEntry(roomId, current.entryId, { from: "playing", to, endedAt: now })
          .catch(() => {});
      }
      if (next) {
        try {
          await store.transitionEntry(roomId, next.id, { from: "queued", to: "playing" });
        } catch (error) {
          // Removed between our read and our write: what we started is gone, so move on.
          if (!isDjRoomError(error, "entry_not_queued")) throw error;
          if (playback.phase === "playing") return advance(roomId, "end", playback.playId);
        }
      }
      await publish(roomId, "now-playing.changed", { playback });
      await publish(roomId, "queue.changed", {});
      if (playback.phase === "playing") {
        const trackId = playback.track.id;
        await drivePlayer("play", (p) => p.play(room.hostId, trackId));
      } else if (how === "skip") {
        await drivePlayer("skip", (p) => p.skip(room.hostId));
      }
      return playback;
    }
  };

  return {
    /** Starts the top of the queue when nothing plays. */
    async start(session: Session): Promise<Playback> {
      const { room } = await requireHost(session);
      return advance(room.id, "start");
    },

    /** Skips the playing track (only the one the host saw, when `playId` is given). */
    async skip(session: Session, playId?: string): Promise<Playback> {
      const { room } = await requireHost(session);
      if (room.playback.phase !== "playing") {
        throw new DjRoomError("invalid_transition", "Nothing is playing", {
          details: { phase: room.playback.phase },
        });
      }
      return advance(room.id, "skip", playId ?? room.playback.playId);
    },

    async voteToSkip(
      session: Session,
    ): Promise<{ votes: number; needed: number; skipped: boolean; playback: Playback }> {
      const { room, guest } = await requireSession(session);
      const playback = room.playback;
      if (playback.phase !== "playing") {
        throw new DjRoomError("invalid_transition", "Nothing is playing", {
          details: { phase: playback.phase },
        });
      }
      await touchGuest(guest);
      const votes = await store.addSkipVote(room.id, playback.playId, guest.id);
      const needed = skipThreshold(await activeParticipants(room.id), room.settings.voteSkip);
      if (votes < needed) {
        await publish(room.id, "votes.changed", { skipVotes: votes, needed });
        return { votes, needed, skipped: false, playback };
      }
      return { votes, needed, skipped: true, playback: await advance(room.id, "skip", playback.playId) };
    },

    /** Reads the host's player: when the room's track finished there, plays the next one. */
    async syncPlayback(roomId: string): Promise<Playback> {
      const room = await openRoomOf(roomId);
      const playback = room.playback;
      if (!player || playback.phase !== "playing") return playback;
      const state = await player.currentlyPlaying(room.hostId);
      const finished = !state || state.trackId !== playback.track.id || !state.isPlaying;
      return finished ? advance(room.id, "end", playback.playId) : playback;
    },
  };
}
