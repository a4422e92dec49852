import { randomSecret } from "../secrets/random-secret.js";
import type { SecretSpec } from "../secrets/secret-spec.js";

/** The secrets dj-room reads. */
export const djRoomSecrets: readonly SecretSpec[] = [
  {
    name: "dj-room-session-secret",
    envName: "DJ_ROOM_SESSION_SECRET",
    kind: "generated",
    description: "signs guest and host session tokens",
    generate: randomSecret(48),
  },
  {
    name: "spotify-token-key",
    envName: "SPOTIFY_TOKEN_KEY",
    kind: "generated",
    description: "encrypts hosts' Spotify tokens at rest (32 bytes, base64)",
    generate: randomSecret(32, "base64"),
  },
  {
    name: "spotify-client-id",
    envName: "SPOTIFY_CLIENT_ID",
    kind: "third-party",
    description: "the Spotify app's client id",
  },
  {
    name: "spotify-client-secret",
    envName: "SPOTIFY_CLIENT_SECRET",
    kind: "third-party",
    description: "the Spotify app's client secret",
  },
];
