import { createErrorMapper } from "@portside/http";
import { RecorderError, type RecorderErrorCode } from "../errors.js";

const STATUS: Record<RecorderErrorCode, number> = {
  UNDECRYPTABLE: 422,
  NOT_JSON: 422,
  INVALID_EVENT: 422,
  REJECTED_BY_SINK: 422,
  ROWS_REJECTED: 422,
  KEY_UNAVAILABLE: 503,
  SINK_UNAVAILABLE: 503,
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  MIGRATION_FAILED: 503,
};

/** Recorder errors as the envelope: `details.issues` names the invalid fields. */
export const recorderErrors = createErrorMapper({
  errorClass: RecorderError,
  statuses: STATUS,
  details: (error) => (error.issues.length > 0 ? { issues: [...error.issues] } : {}),
});
