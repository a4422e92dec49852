import { ConflictError, RegistryError, RegistryErrorCode, StoreLimitError } from "@portside/registry-core";

function name(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

/**
 * Maps a DynamoDB failure to the registry's errors: a failed condition becomes `ConflictError`,
 * size limits `StoreLimitError`, anything else a `RegistryError` with code `STORE_FAILURE` (the
 * service wraps it once more, logs it and keeps the store's words from clients). Transactions map
 * their items' failures themselves (`transactWrite`), so cancellation reasons are never read here.
 */
export function mapDynamoError(operation: string, error: unknown) {
  if (error instanceof RegistryError) return error;
  const n = name(error);
  const message = error instanceof Error ? error.message : String(error);
  if (n === "ConditionalCheckFailedException") {
    return new ConflictError(`${operation}: a condition did not hold`, { cause: error });
  }
  if ((n === "ValidationException" || n === "TransactionCanceledException") && /size/i.test(message)) {
    return new StoreLimitError(
      RegistryErrorCode.itemTooLarge,
      `${operation}: an item is over DynamoDB's 400 KB limit`,
      {
        cause: error,
      },
    );
  }
  return new RegistryError(
    RegistryErrorCode.store,
    `DynamoDB ${operation} failed: ${n ?? "Error"}: ${message}`,
    {
      cause: error,
    },
  );
}
