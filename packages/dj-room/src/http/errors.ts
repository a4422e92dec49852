import { createErrorMapper } from "@portside/http";
import { DjRoomError, type DjRoomErrorCode } from "../errors.js";

/** One HTTP status per domain error code (a code left out does not compile). */
export const DJ_ROOM_STATUS: Record<DjRoomErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  GUEST_BANNED: 403,
  QUEUE_LOCKED: 403,
  ROOM_NOT_JOINABLE: 403,
  ROOM_NOT_FOUND: 404,
  GUEST_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  TRACK_NOT_FOUND: 404,
  ROOM_CLOSED: 410,
  ROOM_CODE_TAKEN: 409,
  HOST_ROOM_LIMIT: 409,
  ENTRY_NOT_QUEUED: 409,
  TRACK_ALREADY_QUEUED: 409,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  PROVIDER_NOT_CONNECTED: 409,
  PLAYER_NO_DEVICE: 409,
  PLAYER_PREMIUM_REQUIRED: 409,
  LIMIT_EXCEEDED: 429,
  RATE_LIMITED: 429,
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_RATE_LIMITED: 503,
  STORE_UNAVAILABLE: 503,
  STORE_FAILURE: 503,
};

/** `DjRoomError` on the wire: its status, its details, and `Retry-After` when it has one. */
export const djRoomErrors = createErrorMapper({
  errorClass: DjRoomError,
  statuses: DJ_ROOM_STATUS,
  details: (error) => error.details ?? {},
  headers: (error) =>
    error.retryAfterSeconds === undefined ? undefined : { "retry-after": String(error.retryAfterSeconds) },
});
