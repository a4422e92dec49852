/** The `code` of every `RegistryError`. */
export const RegistryErrorCode = {
  validation: "VALIDATION_FAILED",
  notFound: "NOT_FOUND",
  conflict: "CONFLICT",
  preconditionFailed: "PRECONDITION_FAILED",
  preconditionRequired: "PRECONDITION_REQUIRED",
  forbidden: "FORBIDDEN",
  unauthenticated: "UNAUTHENTICATED",
  unindexedFilter: "UNINDEXED_FILTER",
  invalidQuery: "INVALID_QUERY",
  invalidCursor: "INVALID_CURSOR",
  linkRestricted: "LINK_RESTRICTED",
  itemTooLarge: "ITEM_TOO_LARGE",
  tooManyWrites: "TOO_MANY_WRITES",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  unsupportedConversion: "UNSUPPORTED_CONVERSION",
  store: "STORE_FAILURE",
} as const;

/** One of the codes of `RegistryErrorCode`. */
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

/** One problem with one field of one input: `path` names the field (`["data", "email"]`). */
export interface RegistryIssue {
  path: (string | number)[];
  message: string;
}

/** Options of a `RegistryError`: issues, details and the cause. */
export interface RegistryErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** Base class of every error this package throws; `code` is stable across releases. */
export class RegistryError extends Error {
  override readonly name: string = "RegistryError";
  readonly code: RegistryErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: RegistryErrorCode, message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

export class ValidationError extends RegistryError {
  override readonly name = "ValidationError";
  readonly issues: RegistryIssue[];

  constructor(message: string, issues: RegistryIssue[], options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.validation, message, { ...options, details: { issues, ...options.details } });
    this.issues = issues;
  }
}

export class NotFoundError extends RegistryError {
  override readonly name = "NotFoundError";
  constructor(what: string, options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.notFound, `${what} not found`, options);
  }
}

/** A write lost a race: the expected version is not the stored one, or a uniqueness/link condition failed. */
export class ConflictError extends RegistryError {
  override readonly name = "ConflictError";
  readonly expectedVersion: number | null | undefined;
  readonly existing: unknown;

  constructor(
    message: string,
    options: RegistryErrorOptions & { expectedVersion?: number | null; existing?: unknown } = {},
  ) {
    super(RegistryErrorCode.conflict, message, {
      ...options,
      details: { expectedVersion: options.expectedVersion, existing: options.existing, ...options.details },
    });
    this.expectedVersion = options.expectedVersion;
    this.existing = options.existing;
  }
}

/** An expected version (HTTP `If-Match`) is not the stored one. */
export class PreconditionFailedError extends RegistryError {
  override readonly name = "PreconditionFailedError";
  readonly expectedVersion: number;
  readonly existing: number;

  constructor(what: string, expectedVersion: number, existing: number, options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.preconditionFailed, `${what} is at version ${existing}, not ${expectedVersion}`, {
      ...options,
      details: { expectedVersion, existing, ...options.details },
    });
    this.expectedVersion = expectedVersion;
    this.existing = existing;
  }
}

/** A change that can lose data needs the caller to name the version it saw (HTTP `If-Match`). */
export class PreconditionRequiredError extends RegistryError {
  override readonly name = "PreconditionRequiredError";
  constructor(message: string, options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.preconditionRequired, message, options);
  }
}

export class ForbiddenError extends RegistryError {
  override readonly name = "ForbiddenError";
  constructor(message: string, options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.forbidden, message, options);
  }
}

export class UnauthenticatedError extends RegistryError {
  override readonly name = "UnauthenticatedError";
  constructor(message: string, options: RegistryErrorOptions = {}) {
    super(RegistryErrorCode.unauthenticated, message, options);
  }
}

export class QueryError extends RegistryError {
  override readonly name = "QueryError";
}

/** The store cannot hold a write: one item over its size limit, or more items than one atomic write allows. */
export class StoreLimitError extends RegistryError {
  override readonly name = "StoreLimitError";
}

/** A port failed in a way it did not declare; the original error is the `cause`. */
export class StoreFailureError extends RegistryError {
  override readonly name = "StoreFailureError";
  constructor(operation: string, cause: unknown) {
    super(RegistryErrorCode.store, `The store failed during ${operation}`, { cause });
  }
}

/** Whether an error is a `RegistryError`. */
export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError;
}
