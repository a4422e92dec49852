/** Codes the HTTP layer itself answers with; a package's own codes come from its error class. */
export const HttpErrorCode = {
  invalidPath: "INVALID_PATH",
  invalidJson: "INVALID_JSON",
  invalidBody: "INVALID_BODY",
  validationFailed: "VALIDATION_FAILED",
  unauthenticated: "UNAUTHENTICATED",
  forbidden: "FORBIDDEN",
  notFound: "NOT_FOUND",
  methodNotAllowed: "METHOD_NOT_ALLOWED",
  preconditionFailed: "PRECONDITION_FAILED",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
  preconditionRequired: "PRECONDITION_REQUIRED",
  internal: "INTERNAL",
} as const;

export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** The HTTP status of each of the layer's error codes. */
export const httpErrorStatus: Record<HttpErrorCode, number> = {
  INVALID_PATH: 400,
  INVALID_JSON: 400,
  INVALID_BODY: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  INTERNAL: 500,
};

/** Options of an `HttpError`: details, headers and the cause. */
export interface HttpErrorOptions {
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error class of `@portside/http`: a refusal the layer (or a route) answers as is. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: HttpErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = httpErrorStatus[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}
