import { AwsAdapterError } from "../errors.js";

/** The `code` of every SQS adapter error. */
export const SqsErrorCode = {
  sendFailed: "SQS_SEND_FAILED",
  receiveFailed: "SQS_RECEIVE_FAILED",
  deleteFailed: "SQS_DELETE_FAILED",
  visibilityFailed: "SQS_VISIBILITY_FAILED",
  handlerFailed: "SQS_HANDLER_FAILED",
} as const;

/** One of the codes above. */
export type SqsErrorCode = (typeof SqsErrorCode)[keyof typeof SqsErrorCode];

/** Anything SQS refused. `failedIds` names the entries of a batch call that did not go through. */
export class SqsError extends AwsAdapterError<SqsErrorCode> {
  override readonly name = "SqsError";
  readonly failedIds: readonly string[];

  constructor(
    code: SqsErrorCode,
    message: string,
    options: { failedIds?: readonly string[]; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.failedIds = options.failedIds ?? [];
  }
}
