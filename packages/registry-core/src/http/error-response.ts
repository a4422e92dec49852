import { RegistryError, RegistryErrorCode } from "../errors.js";

const STATUS: Record<RegistryErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_QUERY: 400,
  INVALID_CURSOR: 400,
  UNSUPPORTED_CONVERSION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
  CANCELLED: 409,
  LINK_RESTRICTED: 409,
  ITEM_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  UNINDEXED_FILTER: 422,
  TOO_MANY_WRITES: 422,
  STORE_FAILURE: 503,
};

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}

/** A registry error as `{ error: { code, message, details } }` with its status; anything else is a 500 that leaks nothing. */
export function errorResponse(error: unknown): Response {
  if (error instanceof RegistryError) {
    const headers: Record<string, string> = {};
    if (error.code === RegistryErrorCode.unauthenticated) headers["www-authenticate"] = "Bearer";
    // A store's own words (SDK messages, emulator pages) never reach clients; the cause is logged where it was caught.
    if (error.code === RegistryErrorCode.store) {
      return Response.json(errorBody(error.code, "The registry's store is unavailable; try again"), {
        status: 503,
      });
    }
    return Response.json(errorBody(error.code, error.message, error.details), {
      status: STATUS[error.code] ?? 500,
      headers,
    });
  }
  return Response.json(errorBody("INTERNAL", "Internal error"), { status: 500 });
}
