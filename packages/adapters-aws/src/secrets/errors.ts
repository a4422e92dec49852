import { AwsAdapterError } from "../errors.js";

/** The `code` of every Secrets Manager adapter error. */
export const SecretsManagerErrorCode = {
  readFailed: "SECRETS_MANAGER_READ_FAILED",
  writeFailed: "SECRETS_MANAGER_WRITE_FAILED",
  binarySecret: "SECRETS_MANAGER_BINARY_SECRET",
} as const;

/** One of the codes above. */
export type SecretsManagerErrorCode = (typeof SecretsManagerErrorCode)[keyof typeof SecretsManagerErrorCode];

export class SecretsManagerError extends AwsAdapterError<SecretsManagerErrorCode> {
  override readonly name = "SecretsManagerError";
  readonly secretId: string;

  constructor(
    code: SecretsManagerErrorCode,
    message: string,
    options: { secretId: string; cause?: unknown },
  ) {
    super(code, message, options);
    this.secretId = options.secretId;
  }
}
