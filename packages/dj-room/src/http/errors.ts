import { DjRoomError, type DjRoomErrorCode } from "../errors.js";

const STATUS: Record<DjRoomErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  guest_banned: 403,
  queue_locked: 403,
  room_not_found: 404,
  guest_not_found: 404,
  entry_not_found: 404,
  track_not_found: 404,
  room_closed: 410,
  room_code_taken: 409,
  host_room_limit: 409,
  entry_not_queued: 409,
  track_already_queued: 409,
  invalid_transition: 409,
  conflict: 409,
  provider_not_connected: 409,
  player_no_device: 409,
  player_premium_required: 409,
  limit_exceeded: 429,
  provider_unavailable: 502,
  provider_rate_limited: 503,
  store_unavailable: 503,
};

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
) {
  return Response.json({ error: { code, message, details: details ?? null } }, { status, headers });
}

export function djRoomErrorResponse(error: DjRoomError): Response {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
  return errorResponse(STATUS[error.code], error.code, error.message, error.details, headers);
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof DjRoomError) return djRoomErrorResponse(error);
  throw error;
}
