import { type Clock, epochMs, systemClock } from "../ports/clock.js";
import type { MusicProvider } from "../ports/music-provider.js";
import type { PlaybackController, PlayerState } from "../ports/playback-controller.js";

interface HostPlayer {
  trackId: string | null;
  durationMs: number | null;
  startedAt: number;
  queue: string[];
}

/** An in-memory player per host: plays a track for its duration, then the next one it queued. */
export function createMemoryPlayer(options: { catalog: MusicProvider; clock?: Clock }): PlaybackController {
  const source = options.clock ?? systemClock;
  const clock = { now: () => epochMs(source) };
  const players = new Map<string, HostPlayer>();

  const durationOf = async (trackId: string) => (await options.catalog.getTrack(trackId))?.durationMs ?? null;
  const start = async (player: HostPlayer, trackId: string | null, at: number) => {
    player.trackId = trackId;
    player.durationMs = trackId ? await durationOf(trackId) : null;
    player.startedAt = at;
  };
  const playerOf = (hostId: string) => {
    let player = players.get(hostId);
    if (!player) {
      player = { trackId: null, durationMs: null, startedAt: 0, queue: [] };
      players.set(hostId, player);
    }
    return player;
  };

  return {
    name: "memory-player",
    async currentlyPlaying(hostId) {
      const player = players.get(hostId);
      if (!player?.trackId) return null;
      let elapsed = clock.now() - player.startedAt;
      while (player.durationMs !== null && elapsed >= player.durationMs && player.queue.length > 0) {
        const endedAt = player.startedAt + player.durationMs;
        await start(player, player.queue.shift() ?? null, endedAt);
        elapsed = clock.now() - player.startedAt;
      }
      const duration = player.durationMs;
      const state: PlayerState = {
        trackId: player.trackId,
        isPlaying: duration === null || elapsed < duration,
        progressMs: duration === null ? elapsed : Math.min(elapsed, duration),
        durationMs: duration,
      };
      return state;
    },
    async play(hostId, trackId) {
      await start(playerOf(hostId), trackId, clock.now());
    },
    async enqueue(hostId, trackId) {
      playerOf(hostId).queue.push(trackId);
    },
    async skip(hostId) {
      const player = playerOf(hostId);
      await start(player, player.queue.shift() ?? null, clock.now());
    },
  };
}
