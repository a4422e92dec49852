/** The `code` of every `RecorderError`. */
export const RecorderErrorCode = {
  /** The body is not base64, too short, or does not decrypt with any known key. */
  undecryptable: "UNDECRYPTABLE",
  /** It decrypted, but the plaintext is not JSON. */
  notJson: "NOT_JSON",
  /** JSON, but not a valid event, or an event whose routed row is invalid. */
  invalidEvent: "INVALID_EVENT",
  /** The database refused this event's rows (a value it cannot store). */
  rejectedBySink: "REJECTED_BY_SINK",
  /**
   * A sink batch opened without `isolateRows` met a row the database refuses and was rolled
   * back: write it again with `isolateRows` to find which.
   */
  rowsRejected: "ROWS_REJECTED",
  /** A key is missing, malformed or could not be fetched. */
  keyUnavailable: "KEY_UNAVAILABLE",
  /** The sink or quarantine could not be reached: retry later. */
  sinkUnavailable: "SINK_UNAVAILABLE",
  /** A read-API or replay argument is not valid. */
  invalidArgument: "INVALID_ARGUMENT",
  notFound: "NOT_FOUND",
  /** Migrations failed or the schema is newer than this package. */
  migrationFailed: "MIGRATION_FAILED",
} as const;

/** One of the codes of `RecorderErrorCode`. */
export type RecorderErrorCode = (typeof RecorderErrorCode)[keyof typeof RecorderErrorCode];

/** Codes of failures that will not heal by retrying the same message: such messages are quarantined. */
export const permanentCodes: ReadonlySet<RecorderErrorCode> = new Set([
  RecorderErrorCode.undecryptable,
  RecorderErrorCode.notJson,
  RecorderErrorCode.invalidEvent,
  RecorderErrorCode.rejectedBySink,
]);

/** One validation problem of an event: the field's path and what is wrong. */
export interface RecorderIssue {
  path: string;
  message: string;
}

/** The one error class of `@portside/event-recorder`; `code` is stable, `issues` name invalid fields. */
export class RecorderError extends Error {
  override readonly name = "RecorderError";
  readonly code: RecorderErrorCode;
  readonly issues: readonly RecorderIssue[];

  constructor(
    code: RecorderErrorCode,
    message: string,
    options: { issues?: readonly RecorderIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }

  get permanent(): boolean {
    return permanentCodes.has(this.code);
  }
}
