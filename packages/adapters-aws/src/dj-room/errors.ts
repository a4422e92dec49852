import { DjRoomError } from "@portside/dj-room";

/** Any SDK failure that is not a domain condition becomes `store_unavailable`; callers never see SDK classes. */
export function storeFailure(operation: string, error: unknown): DjRoomError {
  if (error instanceof DjRoomError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DjRoomError("store_unavailable", `DynamoDB ${operation} failed: ${message}`, { cause: error });
}

/** The cancellation codes of a cancelled transaction, one per item (`None`, `ConditionalCheckFailed`...). */
export function cancellationCodes(error: unknown): string[] | null {
  if (
    typeof error !== "object" ||
    error === null ||
    (error as { name?: string }).name !== "TransactionCanceledException"
  ) {
    return null;
  }
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? "None");
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: string }).name === "ConditionalCheckFailedException"
  );
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
