import { ProfileDepsError } from "../errors.js";

const STATUS_BY_CODE: Record<string, number> = {
  INVALID_PROFILE: 400,
  INVALID_PACKAGE: 400,
  INVALID_REQUIREMENT: 400,
  INVALID_VERSION: 400,
  INVALID_RANGE: 400,
  INVALID_PROFILE_EVENT: 400,
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PROFILE_NOT_FOUND: 404,
  PROFILE_REVISION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PROFILE_EXISTS: 409,
  PROFILE_REVISION_CONFLICT: 409,
  PROFILE_HAS_CHILDREN: 409,
  PROFILE_NOT_VALID: 409,
  PACKAGE_VERSION_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PARENT_PROFILE_NOT_FOUND: 422,
  PROFILE_INHERITANCE_CYCLE: 422,
  PROFILE_INHERITANCE_CONFLICT: 422,
  PACKAGE_FAMILY_NOT_FOUND: 422,
  PACKAGE_NOT_FOUND: 422,
  PACKAGE_REQUIREMENTS_CONFLICT: 422,
  RESOLVE_BUDGET_EXCEEDED: 422,
  PROFILE_STORE_FAILURE: 503,
};

/** An error raised by the HTTP layer itself (bad JSON, unknown route, no credentials). */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  headers = {},
) {
  return Response.json(
    { error: { code, message, details } },
    { status: STATUS_BY_CODE[code] ?? 500, headers },
  );
}

/** Maps any thrown value to the JSON error body and status; unexpected errors go to `onError` and become a 500. */
export function toErrorResponse(error: unknown, onError: (error: unknown) => void): Response {
  if (error instanceof HttpError)
    return errorResponse(error.code, error.message, error.details, error.headers);
  if (error instanceof ProfileDepsError) {
    if (STATUS_BY_CODE[error.code] === undefined || STATUS_BY_CODE[error.code]! >= 500) onError(error);
    return errorResponse(error.code, error.message, error.details);
  }
  onError(error);
  return errorResponse("INTERNAL", "Internal error");
}
