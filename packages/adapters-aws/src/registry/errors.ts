import { ConflictError, RegistryError, RegistryErrorCode, StoreLimitError } from "@portside/registry-core";

function name(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

/**
 * Maps a DynamoDB failure to the registry's errors: failed conditions and cancelled or conflicting
 * transactions become `ConflictError` naming what did not hold; size limits become `StoreLimitError`;
 * anything else a `RegistryError` with code `STORE_FAILURE`. Callers never see SDK classes.
 */
export function mapDynamoError(
  operation: string,
  error: unknown,
  describe: (index: number) => string = () => "",
) {
  if (error instanceof RegistryError) return error;
  const n = name(error);
  const message = error instanceof Error ? error.message : String(error);
  if (n === "ConditionalCheckFailedException") {
    return new ConflictError(`${operation}: a condition did not hold ${describe(0)}`.trim(), {
      cause: error,
    });
  }
  if (n === "TransactionCanceledException") {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const failed = reasons
      .map((r, i) => ({ code: r.Code ?? "None", i }))
      .filter((r) => r.code !== "None" && r.code !== "");
    const conditional = failed.filter((r) => r.code === "ConditionalCheckFailed");
    if (conditional.length > 0 || failed.some((r) => r.code === "TransactionConflict")) {
      const what = (conditional.length > 0 ? conditional : failed).map((r) => describe(r.i)).filter(Boolean);
      return new ConflictError(
        `${operation} lost a race or broke a rule: ${what.join("; ") || "transaction cancelled"}`,
        {
          cause: error,
          details: { reasons: failed.map((r) => ({ item: r.i, code: r.code, what: describe(r.i) })) },
        },
      );
    }
    if (failed.some((r) => r.code === "ValidationError" && /size/i.test(message))) {
      return new StoreLimitError(
        RegistryErrorCode.itemTooLarge,
        `${operation}: an item is over DynamoDB's 400 KB limit`,
        {
          cause: error,
        },
      );
    }
  }
  if (n === "TransactionConflictException") {
    return new ConflictError(`${operation} conflicted with a concurrent transaction`, { cause: error });
  }
  if (n === "ValidationException" && /size/i.test(message)) {
    return new StoreLimitError(RegistryErrorCode.itemTooLarge, `${operation}: ${message}`, { cause: error });
  }
  return new RegistryError(
    RegistryErrorCode.store,
    `DynamoDB ${operation} failed: ${n ?? "Error"}: ${message}`,
    {
      cause: error,
    },
  );
}
