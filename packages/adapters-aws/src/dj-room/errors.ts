import { DjRoomError } from "@portside/dj-room";
import { cancellationCodes } from "../dynamodb/error-shapes.js";

/** Any SDK failure that is not a domain condition becomes `store_unavailable`; callers never see SDK classes. */
export function storeFailure(operation: string, error: unknown): DjRoomError {
  if (error instanceof DjRoomError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DjRoomError("STORE_UNAVAILABLE", `DynamoDB ${operation} failed: ${message}`, { cause: error });
}

/** Contention DynamoDB asks us to retry: transaction conflicts and throttling. */
export function isRetryableContention(error: unknown): boolean {
  const codes = cancellationCodes(error);
  if (codes)
    return (
      codes.some((c) => c === "TransactionConflict" || c === "ThrottlingError") &&
      !codes.includes("ConditionalCheckFailed")
    );
  const name = (error as { name?: string } | null)?.name;
  return name === "TransactionConflictException" || name === "ProvisionedThroughputExceededException";
}

export async function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(200, 5 * 2 ** attempt);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
