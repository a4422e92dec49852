import { ProfileStoreError } from "@portside/profile-deps";

/** Any SDK failure that is not a domain condition becomes a `ProfileStoreError`; callers never see SDK classes. */
export function storeFailure(operation: string, error: unknown): ProfileStoreError {
  if (error instanceof ProfileStoreError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProfileStoreError(`DynamoDB ${operation} failed: ${message}`, { cause: error });
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
