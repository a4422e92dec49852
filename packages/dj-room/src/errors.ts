/** Stable error codes; HTTP maps each to a status. */
export const DjRoomErrorCode = {
  validation: "validation",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  roomNotFound: "room_not_found",
  roomClosed: "room_closed",
  roomCodeTaken: "room_code_taken",
  hostRoomLimit: "host_room_limit",
  guestNotFound: "guest_not_found",
  guestBanned: "guest_banned",
  entryNotFound: "entry_not_found",
  entryNotQueued: "entry_not_queued",
  trackNotFound: "track_not_found",
  trackAlreadyQueued: "track_already_queued",
  queueLocked: "queue_locked",
  limitExceeded: "limit_exceeded",
  invalidTransition: "invalid_transition",
  conflict: "conflict",
  providerUnavailable: "provider_unavailable",
  providerRateLimited: "provider_rate_limited",
  providerNotConnected: "provider_not_connected",
  playerNoDevice: "player_no_device",
  playerPremiumRequired: "player_premium_required",
  storeUnavailable: "store_unavailable",
} as const;

export type DjRoomErrorCode = (typeof DjRoomErrorCode)[keyof typeof DjRoomErrorCode];

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

export function isDjRoomError(error: unknown, code?: DjRoomErrorCode): error is DjRoomError {
  return error instanceof DjRoomError && (code === undefined || error.code === code);
}
