import type { Track } from "../track.js";

/** A catalog: search for tracks and read one by id. Errors are `DjRoomError`s (`provider_*`). */
export interface MusicProvider {
  readonly name: string;
  search(query: string, options?: { limit?: number }): Promise<Track[]>;
  getTrack(trackId: string): Promise<Track | null>;
}
