export {
  assertDeclaredLength,
  DEFAULT_BODY_LIMIT,
  limitedChunks,
  readBytes,
  readText,
} from "./body-limit.js";
export { type CorsOptions, corsHeaders, preflightHeaders } from "./cors.js";
export { readCsv } from "./csv-body.js";
export {
  type EnvelopeIssue,
  type ErrorEnvelope,
  errorBody,
  errorResponse,
  type IssuePath,
  normalizeDetails,
  toEnvelopeIssues,
  toIssuePath,
} from "./error-envelope.js";
export {
  createErrorMapper,
  type ErrorMapper,
  type ErrorMapperOptions,
  type HttpProblem,
  httpErrorMapper,
} from "./error-mapper.js";
export { HttpError, HttpErrorCode, type HttpErrorOptions, httpErrorStatus } from "./errors.js";
export { type JsonBodyOptions, readJson, readJsonWith } from "./json-body.js";
export { errorFields, type HttpLogger, silentHttpLogger } from "./logger.js";
export { assertMediaType, CSV_TYPE, JSON_TYPE, NDJSON_TYPE } from "./media-type.js";
export { type NdjsonRecord, readNdjson } from "./ndjson-body.js";
export { decodePathSegments } from "./path-pattern.js";
export {
  type EntityTag,
  type EntityTagCondition,
  entityTag,
  ifMatchPasses,
  ifMatchVersion,
  ifNoneMatchMatches,
  parseEntityTags,
  preconditionFailed,
} from "./preconditions.js";
export { requestIdOf } from "./request-id.js";
export {
  type Actor,
  createHttpHandler,
  type FetchHandler,
  type HttpHandlerOptions,
  type Route,
  type RouteContext,
  type RouteMethod,
} from "./router.js";
export { textLines } from "./text-lines.js";
export { parseInput } from "./validation.js";
