import { DjRoomError } from "./errors.js";
import type { Playback, QueueEntry } from "./model.js";

/** What can happen to playback: a play starts, the track ends, a skip, a stop. */
export type PlaybackEvent =
  | { type: "start"; playId: string; entry: Pick<QueueEntry, "id" | "track">; at: number }
  | { type: "end"; at: number }
  | { type: "skip"; at: number }
  | { type: "stop"; at: number };

/**
 * idle -> playing (start); playing -> ended (end) | skipped (skip); ended | skipped -> playing (start)
 * | idle (stop, when the queue is empty). Anything else is an invalid transition.
 */
export function transitionPlayback(current: Playback, event: PlaybackEvent): Playback {
  switch (event.type) {
    case "start":
      if (current.phase === "playing") break;
      return {
        phase: "playing",
        playId: event.playId,
        entryId: event.entry.id,
        track: event.entry.track,
        startedAt: event.at,
      };
    case "end":
    case "skip":
      if (current.phase !== "playing") break;
      return { ...current, phase: event.type === "end" ? "ended" : "skipped", endedAt: event.at };
    case "stop":
      if (current.phase === "idle") return current;
      if (current.phase === "playing") break;
      return { phase: "idle", since: event.at };
  }
  throw new DjRoomError("INVALID_TRANSITION", `Cannot ${event.type} while ${current.phase}`, {
    details: { phase: current.phase, event: event.type },
  });
}

/** Votes needed to skip: a share of the active participants, never fewer than the minimum. */
export function skipThreshold(
  activeParticipants: number,
  voteSkip: { share: number; minVotes: number },
): number {
  return Math.max(voteSkip.minVotes, Math.ceil(activeParticipants * voteSkip.share));
}
