import { AwsAdapterError } from "../errors.js";

/** The `code` of every S3 adapter error. */
export const S3ErrorCode = {
  notFound: "S3_OBJECT_NOT_FOUND",
  readFailed: "S3_READ_FAILED",
} as const;

/** One of the codes above. */
export type S3ErrorCode = (typeof S3ErrorCode)[keyof typeof S3ErrorCode];

export class S3Error extends AwsAdapterError<S3ErrorCode> {
  override readonly name = "S3Error";
  readonly bucket: string;
  readonly key: string;

  constructor(code: S3ErrorCode, message: string, options: { bucket: string; key: string; cause?: unknown }) {
    super(code, message, options);
    this.bucket = options.bucket;
    this.key = options.key;
  }
}
