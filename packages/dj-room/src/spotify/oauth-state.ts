import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { DjRoomError } from "../errors.js";

/** Binds an OAuth `state` to one browser session and one host, and checks it on the callback. */
export interface OAuthStateBinder {
  /**
   * A `state` for the authorize URL and a `nonce` to keep in the host's session (an HttpOnly
   * cookie): the callback is accepted only with both, for the same host, before expiry.
   */
  issue(hostId: string): Promise<{ state: string; nonce: string }>;
  /** Returns the host the flow was started for; throws `forbidden` or `unauthorized` otherwise. */
  verify(
    state: string,
    nonce: string | null | undefined,
    expectedHostId?: string,
  ): Promise<{ hostId: string }>;
}

/** OAuth `state` signed with `jose` (HS256) and bound to the host's session by a nonce. */
export function createOAuthStateBinder(options: {
  secret: string | Uint8Array;
  ttlSeconds?: number;
  now?: () => number;
}): OAuthStateBinder {
  const key = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
  if (key.length < 32)
    throw new DjRoomError("VALIDATION_FAILED", "The OAuth state secret must be at least 32 bytes");
  const ttl = options.ttlSeconds ?? 600;
  const now = options.now ?? Date.now;
  const audience = "spotify-oauth-state";
  return {
    async issue(hostId) {
      const nonce = randomBytes(16).toString("base64url");
      const issuedAt = Math.floor(now() / 1000);
      const state = await new SignJWT({ nonce })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(hostId)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttl)
        .sign(key);
      return { state, nonce };
    },
    async verify(state, nonce, expectedHostId) {
      let payload: { sub?: string; nonce?: unknown };
      try {
        ({ payload } = await jwtVerify(state, key, {
          audience,
          algorithms: ["HS256"],
          currentDate: new Date(now()),
        }));
      } catch (error) {
        throw new DjRoomError("UNAUTHORIZED", "The OAuth state is invalid or expired", { cause: error });
      }
      if (!nonce || payload.nonce !== nonce) {
        throw new DjRoomError("FORBIDDEN", "The OAuth callback does not belong to this session");
      }
      if (!payload.sub || (expectedHostId !== undefined && payload.sub !== expectedHostId)) {
        throw new DjRoomError("FORBIDDEN", "The OAuth callback was started by another host");
      }
      return { hostId: payload.sub };
    },
  };
}
