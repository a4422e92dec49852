import { createErrorMapper } from "@portside/http";
import { RegistryError, type RegistryErrorCode } from "../errors.js";

/** The HTTP status of each registry error code: a code left out does not compile. */
export const REGISTRY_STATUS: Record<RegistryErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_QUERY: 400,
  INVALID_CURSOR: 400,
  UNSUPPORTED_CONVERSION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LINK_RESTRICTED: 409,
  PRECONDITION_FAILED: 412,
  ITEM_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  UNINDEXED_FILTER: 422,
  TOO_MANY_WRITES: 422,
  PRECONDITION_REQUIRED: 428,
  STORE_FAILURE: 503,
};

/** Registry errors as the shared envelope; 5xx answers carry the code but never the store's words. */
export const registryErrors = createErrorMapper({
  errorClass: RegistryError,
  statuses: REGISTRY_STATUS,
  details: (error) => error.details,
  headers: (error) => (error.code === "UNAUTHENTICATED" ? { "www-authenticate": "Bearer" } : undefined),
});
