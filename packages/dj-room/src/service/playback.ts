import { randomUUID } from "node:crypto";
import { DjRoomError, isDjRoomError } from "../errors.js";
import type { Playback, PlayerReading, PlayerStatus, Room } from "../model.js";
import { skipThreshold, transitionPlayback } from "../playback-machine.js";
import type { PlayerState } from "../ports/playback-controller.js";
import type { Session } from "../session-tokens.js";
import type { RoomContext } from "./context.js";
import { CONFLICT_RETRIES } from "./support.js";

/** A paused room, or one waiting for a device, is asked again this often. */
const RECHECK_MS = 60_000;
/** After a track's expected end, wait this long before asking whether it ended. */
const END_SLACK_MS = 1_500;
/** A checker claims a due room for this long, so instances do not all ask the player at once. */
const CLAIM_MS = 15_000;
const DUE_BATCH = 100;

const blocked: readonly PlayerStatus[] = ["no_device", "premium_required", "not_connected"];

/** The player status an error from `PlaybackController.play` or `currentlyPlaying` means, if any. */
function statusOfFailure(error: unknown): PlayerStatus | null {
  if (isDjRoomError(error, "PLAYER_NO_DEVICE")) return "no_device";
  if (isDjRoomError(error, "PLAYER_PREMIUM_REQUIRED")) return "premium_required";
  if (isDjRoomError(error, "PROVIDER_NOT_CONNECTED")) return "not_connected";
  return null;
}

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
    sideEffectError,
  } = ctx;
  const reading = (status: PlayerStatus, state?: PlayerState | null): PlayerReading => ({
    status,
    progressMs: state?.progressMs ?? null,
    durationMs: state?.durationMs ?? null,
    at: clock.now(),
  });

  /**
   * Records what the player does for the play `playId` (nothing when another play took over)
   * and when to ask again; tells the room when the status changed.
   */
  const record = async (roomId: string, playId: string, next: PlayerReading, nextCheckAt: number | null) => {
    for (let attempt = 0; ; attempt++) {
      const room = await openRoomOf(roomId);
      if (room.playback.phase !== "playing" || room.playback.playId !== playId) return;
      try {
        await store.updateRoom({ ...room, player: next, nextCheckAt }, room.version);
      } catch (error) {
        if (isDjRoomError(error, "CONFLICT") && attempt < CONFLICT_RETRIES) continue;
        throw error;
      }
      if (room.player?.status !== next.status) await publish(roomId, "player.changed", { player: next });
      return;
    }
  };

  /** Plays the room's current track on the host's player; a missing device or account is recorded, not thrown. */
  const playOnPlayer = async (room: Room, playback: Extract<Playback, { phase: "playing" }>) => {
    if (!player) return;
    try {
      await player.play(room.hostId, playback.track.id);
    } catch (error) {
      const status = statusOfFailure(error);
      if (!status) return sideEffectError(error, "play");
      await record(room.id, playback.playId, reading(status), clock.now() + RECHECK_MS);
    }
  };

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
      const playing = playback.phase === "playing";
      const updated: Room = {
        ...room,
        playback,
        player: playing
          ? { status: "playing", progressMs: 0, durationMs: next?.track.durationMs ?? null, at: now }
          : reading("unknown"),
        nextCheckAt: playing && player ? now + (next?.track.durationMs ?? 0) + END_SLACK_MS : null,
        lastActiveAt: now,
      };
      try {
        await store.updateRoom(updated, room.version);
      } catch (error) {
        if (isDjRoomError(error, "CONFLICT") && attempt < CONFLICT_RETRIES) continue;
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
          if (!isDjRoomError(error, "ENTRY_NOT_QUEUED")) throw error;
          if (playback.phase === "playing") return advance(roomId, "end", playback.playId);
        }
      }
      await publish(roomId, "now-playing.changed", { playback });
      await publish(roomId, "queue.changed", {});
      if (playback.phase === "playing") await playOnPlayer(room, playback);
      else if (how === "skip") await drivePlayer("skip", (p) => p.skip(room.hostId));
      return playback;
    }
  };

  /**
   * Asks the host's player about the room and acts: a finished track advances, a paused one
   * stays, a missing device or account stops the room (queue kept) until a play succeeds again.
   */
  const syncPlayback = async (roomId: string): Promise<Playback> => {
    const room = await openRoomOf(roomId);
    const playback = room.playback;
    if (!player || playback.phase !== "playing") return playback;
    const now = clock.now();
    if (blocked.includes(room.player?.status)) {
      // Resume when a device (or the account) is back: try to play the room's track again.
      try {
        await player.play(room.hostId, playback.track.id);
      } catch (error) {
        const status = statusOfFailure(error);
        if (!status) throw error;
        await record(roomId, playback.playId, reading(status), now + RECHECK_MS);
        return playback;
      }
      const resumed = {
        status: "playing" as const,
        progressMs: 0,
        durationMs: playback.track.durationMs,
        at: now,
      };
      await record(roomId, playback.playId, resumed, now + playback.track.durationMs + END_SLACK_MS);
      return playback;
    }
    let state: PlayerState | null;
    try {
      state = await player.currentlyPlaying(room.hostId);
    } catch (error) {
      const status = statusOfFailure(error);
      if (!status) throw error;
      await record(roomId, playback.playId, reading(status), now + RECHECK_MS);
      return playback;
    }
    if (!state) {
      // Nothing active on the host's account: no device to play on.
      await record(roomId, playback.playId, reading("no_device"), now + RECHECK_MS);
      return playback;
    }
    if (state.trackId !== playback.track.id) return advance(roomId, "end", playback.playId);
    const duration = state.durationMs ?? playback.track.durationMs;
    if (state.isPlaying) {
      const remaining = Math.max(0, duration - state.progressMs);
      await record(roomId, playback.playId, reading("playing", state), now + remaining + END_SLACK_MS);
      return playback;
    }
    // Stopped on our track: at its end (or rewound to 0 after it should have ended) it finished;
    // anywhere else the host paused it, and paused is paused.
    const atEnd =
      state.progressMs >= duration - END_SLACK_MS ||
      (state.progressMs === 0 && now >= playback.startedAt + duration);
    if (atEnd) return advance(roomId, "end", playback.playId);
    await record(roomId, playback.playId, reading("paused", state), now + RECHECK_MS);
    return playback;
  };

  /** Checks a room whose check is due, once across instances: the claim is a conditional write. */
  const checkIfDue = async (room: Room): Promise<boolean> => {
    const now = clock.now();
    if (room.status !== "open" || room.nextCheckAt === null || room.nextCheckAt > now) return false;
    try {
      await store.updateRoom({ ...room, nextCheckAt: now + CLAIM_MS }, room.version);
    } catch (error) {
      if (isDjRoomError(error, "CONFLICT")) return false;
      throw error;
    }
    await syncPlayback(room.id);
    return true;
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
        throw new DjRoomError("INVALID_TRANSITION", "Nothing is playing", {
          details: { phase: room.playback.phase },
        });
      }
      return advance(room.id, "skip", playId ?? room.playback.playId);
    },

    /** Asks to skip the track playing; it skips once enough active guests asked. */
    async voteToSkip(
      session: Session,
    ): Promise<{ votes: number; needed: number; skipped: boolean; playback: Playback }> {
      const { room, guest } = await requireSession(session);
      const playback = room.playback;
      if (playback.phase !== "playing") {
        throw new DjRoomError("INVALID_TRANSITION", "Nothing is playing", {
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

    syncPlayback,

    /** Room activity checks its own room when due (no scheduler needed while people use it). */
    async checkRoomIfDue(roomId: string): Promise<void> {
      const room = await store.getRoom(roomId);
      if (!room) return;
      try {
        await checkIfDue(room);
      } catch (error) {
        sideEffectError(error, "playback check");
      }
    },

    /**
     * Checks every room whose playback check is due (a scheduled Lambda every minute, or a
     * timer on any instance). Returns how many rooms this caller checked.
     */
    async checkDueRooms(): Promise<number> {
      let checked = 0;
      for (const roomId of await store.listDueRooms(clock.now(), DUE_BATCH)) {
        const room = await store.getRoom(roomId);
        if (!room) continue;
        try {
          if (await checkIfDue(room)) checked++;
        } catch (error) {
          sideEffectError(error, `playback check of ${roomId}`);
        }
      }
      return checked;
    },
  };
}
