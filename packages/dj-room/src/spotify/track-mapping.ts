import { z } from "zod";
import type { Track } from "../track.js";

export const spotifyTrackSchema = z.object({
  id: z.string(),
  /** Present when the request named a market: false when the track cannot be played there. */
  is_playable: z.boolean().optional(),
  uri: z.string(),
  name: z.string(),
  duration_ms: z.number(),
  artists: z.array(z.object({ name: z.string() })),
  album: z.object({ name: z.string(), images: z.array(z.object({ url: z.string() })).optional() }).optional(),
});

export type SpotifyTrack = z.infer<typeof spotifyTrackSchema>;

/** A Spotify track as a room's `Track`. */
export function toTrack(track: SpotifyTrack): Track {
  return {
    provider: "spotify",
    id: track.id,
    uri: track.uri,
    title: track.name,
    artists: track.artists.map((a) => a.name),
    album: track.album?.name ?? null,
    durationMs: track.duration_ms,
    imageUrl: track.album?.images?.[0]?.url ?? null,
  };
}

/** Accepts a bare id or a `spotify:track:<id>` URI. */
export function spotifyTrackId(input: string): string | null {
  const id = input.startsWith("spotify:track:") ? input.slice("spotify:track:".length) : input;
  return /^[A-Za-z0-9]{1,64}$/.test(id) ? id : null;
}
