import { z } from "zod";
import type { CommonConfig } from "../config/common-config.js";
import { optionalText, positiveInt } from "../config/config-fields.js";

/** dj-room's config keys. */
export const djRoomConfigSchema = z.object({
  /**
   * HMAC key (≥ 32 characters) for guest sessions and the demo host cookie. Required with
   * DYNAMODB_TABLES_USERID or on AWS Lambda (every instance must accept every session); otherwise
   * random per process.
   */
  DJ_ROOM_SESSION_SECRET: optionalText.pipe(z.string().min(32, "at least 32 characters").optional()),
  /** Rooms with no activity for this many minutes close themselves. */
  DJ_ROOM_IDLE_MINUTES: positiveInt(240),
  /** Open rooms one host may hold at once. */
  DJ_ROOM_MAX_OPEN_PER_HOST: positiveInt(1),
  /** How often a long-running host looks for rooms whose playback check is due (any room, any instance). */
  DJ_ROOM_SYNC_SECONDS: positiveInt(5),
  /** Spotify instead of the demo catalog and player: set the client id, secret, redirect URI and token key. */
  SPOTIFY_CLIENT_ID: optionalText,
  /** The Spotify app's client secret. */
  SPOTIFY_CLIENT_SECRET: optionalText,
  /** Registered with your Spotify app, ending in /spotify/callback (e.g. http://127.0.0.1:8084/spotify/callback). */
  SPOTIFY_REDIRECT_URI: optionalText.pipe(z.url().optional()),
  /** base64 of 32 random bytes: encrypts hosts' Spotify tokens at rest (AES-256-GCM). */
  SPOTIFY_TOKEN_KEY: optionalText.pipe(
    z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "base64 of exactly 32 bytes")
      .optional(),
  ),
  /** Spotify's accounts host, for a local stand-in. Default: the real one. */
  SPOTIFY_ACCOUNTS_URL: optionalText.pipe(z.url().optional()),
  /** Spotify's Web API host, for a local stand-in. Default: the real one. */
  SPOTIFY_API_URL: optionalText.pipe(z.url().optional()),
  /**
   * The API Gateway WebSocket API browsers connect to (`wss://{api-id}.execute-api.{region}.amazonaws.com/{stage}`).
   * Set it when several instances (or Lambda) serve one room: every change is posted to every
   * connected browser through it. Unset: this process streams Server-Sent Events itself.
   */
  DJ_ROOM_WEBSOCKET_URL: optionalText.pipe(z.url().optional()),
  /** Its management endpoint for PostToConnection. Default: the WebSocket URL with https. */
  DJ_ROOM_WEBSOCKET_ENDPOINT: optionalText.pipe(z.url().optional()),
  /** Public origin for share links and QR codes (`https://dj.example.com`). Default: the request's. */
  DJ_ROOM_PUBLIC_URL: optionalText.pipe(z.url().optional()),
});

/** dj-room's config, with the shared keys. */
export type DjRoomConfig = CommonConfig & z.infer<typeof djRoomConfigSchema>;

/** The management endpoint for `PostToConnection`, when a WebSocket API is configured. */
export function webSocketManagementEndpoint(config: DjRoomConfig): string | undefined {
  if (config.DJ_ROOM_WEBSOCKET_ENDPOINT) return config.DJ_ROOM_WEBSOCKET_ENDPOINT;
  return config.DJ_ROOM_WEBSOCKET_URL?.replace(/^ws(s?):/, "http$1:");
}
