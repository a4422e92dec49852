/** Stable error codes; HTTP maps each to a status. */
export const DjRoomErrorCode = {
  validation: "VALIDATION_FAILED",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  roomNotFound: "ROOM_NOT_FOUND",
  roomClosed: "ROOM_CLOSED",
  roomCodeTaken: "ROOM_CODE_TAKEN",
  hostRoomLimit: "HOST_ROOM_LIMIT",
  guestNotFound: "GUEST_NOT_FOUND",
  guestBanned: "GUEST_BANNED",
  entryNotFound: "ENTRY_NOT_FOUND",
  entryNotQueued: "ENTRY_NOT_QUEUED",
  trackNotFound: "TRACK_NOT_FOUND",
  trackAlreadyQueued: "TRACK_ALREADY_QUEUED",
  queueLocked: "QUEUE_LOCKED",
  limitExceeded: "LIMIT_EXCEEDED",
  /** Too many requests of one kind from one guest or one client address. */
  rateLimited: "RATE_LIMITED",
  /** The host closed the room to new guests. */
  roomNotJoinable: "ROOM_NOT_JOINABLE",
  invalidTransition: "INVALID_TRANSITION",
  conflict: "CONFLICT",
  providerUnavailable: "PROVIDER_UNAVAILABLE",
  providerRateLimited: "PROVIDER_RATE_LIMITED",
  providerNotConnected: "PROVIDER_NOT_CONNECTED",
  playerNoDevice: "PLAYER_NO_DEVICE",
  playerPremiumRequired: "PLAYER_PREMIUM_REQUIRED",
  storeUnavailable: "STORE_UNAVAILABLE",
  /** A port failed in a way it does not document; `cause` holds what it threw. */
  storeFailure: "STORE_FAILURE",
} as const;

export type DjRoomErrorCode = (typeof DjRoomErrorCode)[keyof typeof DjRoomErrorCode];

/** Options of a `DjRoomError`: details, seconds until a retry can succeed, and the cause. */
export interface DjRoomErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /** Seconds until the caller may retry (limits, provider rate limits). */
  retryAfterSeconds?: number;
}

/** The one error class of `@portside/dj-room`: callers switch on `code`, never on adapter errors. */
export class DjRoomError extends Error {
  override readonly name = "DjRoomError";
  readonly code: DjRoomErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: DjRoomErrorCode, message: string, options: DjRoomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Whether an error is a `DjRoomError`, and of the given code if one is given. */
export function isDjRoomError(error: unknown, code?: DjRoomErrorCode): error is DjRoomError {
  return error instanceof DjRoomError && (code === undefined || error.code === code);
}
