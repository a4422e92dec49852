import { z } from "zod";

/** Track metadata as a `MusicProvider` returns it; never taken from a client. */
export interface Track {
  provider: string;
  id: string;
  uri: string;
  title: string;
  artists: string[];
  album: string | null;
  durationMs: number;
  imageUrl: string | null;
}

/** The schema of a track id. */
export const trackIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9:_.-]+$/, "letters, digits, ':', '_', '.', '-' only");
