import type { Track } from "../track.js";

/** A catalog: search for tracks and read one by id. Errors are `DjRoomError`s (`provider_*`). */
export interface MusicProvider {
  readonly name: string;
  /** `market`: the host's country (ISO 3166-1 alpha-2): only tracks playable there. */
  search(query: string, options?: { limit?: number; market?: string }): Promise<Track[]>;
  /** Null when there is no such track, or it cannot be played in `market`. */
  getTrack(trackId: string, options?: { market?: string }): Promise<Track | null>;
}
