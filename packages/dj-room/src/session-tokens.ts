import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { DjRoomError } from "./errors.js";
import type { Role } from "./model.js";

/** Who makes a request: a guest of a room, as a verified session token says. */
export interface Session {
  roomId: string;
  guestId: string;
  /** `viewer`: a screen at the venue that follows the room and cannot act in it. */
  role: Role | "viewer";
  expiresAt: number;
}

/** Issues and verifies session tokens. */
export interface SessionTokens {
  /** Signs a session into a token, with its expiry. */
  issue(session: Omit<Session, "expiresAt">): Promise<{ token: string; expiresAt: number }>;
  /** Throws `unauthorized` for a token that is not ours, is altered or has expired. */
  verify(token: string): Promise<Session>;
}

/** Options of `createSessionTokens`: the signing secret and how long tokens last. */
export interface SessionTokenOptions {
  /** HMAC key, at least 32 bytes (a string is taken as UTF-8). */
  secret: string | Uint8Array;
  ttlSeconds?: number;
  issuer?: string;
  /** The clock, in epoch milliseconds. */
  now?: () => number;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  room: z.string().min(1),
  role: z.enum(["host", "guest", "viewer"]),
  exp: z.number(),
});

/** Signed (HS256, `jose`) session tokens naming the room, the guest, the role and the expiry. */
export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  const key = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
  if (key.length < 32)
    throw new DjRoomError("VALIDATION_FAILED", "The session secret must be at least 32 bytes");
  const ttl = options.ttlSeconds ?? 12 * 60 * 60;
  const issuer = options.issuer ?? "portside-dj-room";
  const now = options.now ?? Date.now;

  return {
    async issue(session) {
      const issuedAt = Math.floor(now() / 1000);
      const exp = issuedAt + ttl;
      const token = await new SignJWT({ room: session.roomId, role: session.role })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(session.guestId)
        .setIssuer(issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: exp * 1000 };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer,
          algorithms: ["HS256"],
          currentDate: new Date(now()),
        });
        const claims = claimsSchema.parse(payload);
        return { roomId: claims.room, guestId: claims.sub, role: claims.role, expiresAt: claims.exp * 1000 };
      } catch (error) {
        const expired = error instanceof errors.JWTExpired;
        throw new DjRoomError("UNAUTHORIZED", expired ? "The session has expired" : "Invalid session token", {
          cause: error,
        });
      }
    },
  };
}
