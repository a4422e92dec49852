import { AwsAdapterError } from "../errors.js";

/** The `code` of every KMS adapter error. */
export const KmsErrorCode = {
  decryptFailed: "KMS_DECRYPT_FAILED",
} as const;

/** One of the codes above. */
export type KmsErrorCode = (typeof KmsErrorCode)[keyof typeof KmsErrorCode];

/** KMS refused or could not be reached; `cause` keeps the SDK error for logs. */
export class KmsError extends AwsAdapterError<KmsErrorCode> {
  override readonly name = "KmsError";
  /** The SDK's error name (`AccessDeniedException`, `InvalidCiphertextException`...). */
  readonly awsCode: string | undefined;

  constructor(code: KmsErrorCode, message: string, options: { awsCode?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.awsCode = options.awsCode;
  }
}
