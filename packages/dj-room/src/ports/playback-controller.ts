/** What a host's player reports: what it plays and where. */
export interface PlayerState {
  trackId: string | null;
  isPlaying: boolean;
  progressMs: number;
  durationMs: number | null;
}

/**
 * The host's player. Every call names the host whose player it drives. `play` throws
 * `player_no_device` when the host has no device to play on and `player_premium_required`
 * when the account cannot be controlled.
 */
export interface PlaybackController {
  readonly name: string;
  /** What the host's player plays now, or null. */
  currentlyPlaying(hostId: string): Promise<PlayerState | null>;
  /** Starts a track now. */
  play(hostId: string, trackId: string): Promise<void>;
  /** Queues a track after the current one on the player. */
  enqueue(hostId: string, trackId: string): Promise<void>;
  /** Skips to the next track on the host's player. */
  skip(hostId: string): Promise<void>;
  /** The host's country, for catalog lookups that only return what their player can play. */
  market?(hostId: string): Promise<string | null>;
}
