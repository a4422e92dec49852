/** Codes of the failures the shared DynamoDB pieces report; each subpath's error adds its own map. */
export const AwsAdapterErrorCode = {
  batchIncomplete: "DYNAMODB_BATCH_INCOMPLETE",
  conditionFailed: "DYNAMODB_CONDITION_FAILED",
  invalidTableName: "INVALID_TABLE_NAME",
} as const;

export type AwsAdapterErrorCode = (typeof AwsAdapterErrorCode)[keyof typeof AwsAdapterErrorCode];

/** The base of every error this package throws: a stable `code`, and the SDK failure kept as `cause`. */
export class AwsAdapterError<Code extends string = AwsAdapterErrorCode> extends Error {
  override readonly name: string = "AwsAdapterError";
  readonly code: Code;

  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
