// DynamoDB failures recognised by their names, so adapters need not import the SDK's error classes.

/** The SDK error's `name` (`ConditionalCheckFailedException`...), if it has one. */
export function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === "ConditionalCheckFailedException";
}

/** The cancellation codes of a cancelled transaction, one per item (`None`, `ConditionalCheckFailed`...). */
export function cancellationCodes(error: unknown): string[] | null {
  if (errorName(error) !== "TransactionCanceledException") return null;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? "None");
}
