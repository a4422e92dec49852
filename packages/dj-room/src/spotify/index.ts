export { requestToken, type SpotifyCredentials, type TokenResponse } from "./accounts.js";
export {
  createMemoryHostTokenStore,
  type HostTokenStore,
  type StoredHostTokens,
} from "./host-token-store.js";
export type { SpotifyHttpOptions } from "./http-client.js";
export { createSpotifyMusicProvider, type SpotifyMusicProviderOptions } from "./music-provider.js";
export { createOAuthStateBinder, type OAuthStateBinder } from "./oauth-state.js";
export {
  createSpotifyPlaybackController,
  SPOTIFY_PLAYER_SCOPES,
  type SpotifyPlayer,
  type SpotifyPlayerOptions,
} from "./playback-controller.js";
export { createAesGcmTokenCipher, type TokenCipher } from "./token-cipher.js";
export { spotifyTrackId, toTrack } from "./track-mapping.js";
