import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { AwsAdapterError, AwsAdapterErrorCode } from "../errors.js";
import { backoff, defaultRetryPolicy, type RetryPolicy } from "./backoff.js";
import { errorName } from "./error-shapes.js";
import type { Item } from "./paginate.js";

type TransactWriteItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * One item of a transaction with its own failure mapping: when DynamoDB cancels the transaction
 * because this item's condition failed, `onConditionFailed` says what that means for the domain.
 */
export interface TransactionItem {
  /** `{ Put }`, `{ Update }`, `{ Delete }` or `{ ConditionCheck }`, in the document client's form. */
  write: TransactWriteItem;
  /**
   * The domain error for this item's failed condition. `current` is the item as stored, when the
   * write asked for it with `ReturnValuesOnConditionCheckFailure: "ALL_OLD"`.
   */
  onConditionFailed?: (current: Item | undefined) => Error;
  /** Names the item in the generic error when there is no `onConditionFailed` ("the room's code"). */
  describe?: string;
}

export interface TransactWriteOptions extends RetryPolicy {
  /** The domain error once conflicts with concurrent transactions outlast the retries. */
  onConflict: (attempts: number) => Error;
}

/** Contention DynamoDB asks a caller to retry, as cancellation reasons and as errors. */
const CONFLICT_REASONS = new Set(["TransactionConflict"]);
const THROTTLE_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded"]);
const CONFLICT_ERRORS = new Set(["TransactionConflictException", "TransactionInProgressException"]);
const THROTTLE_ERRORS = new Set(["ThrottlingException", "ProvisionedThroughputExceededException"]);

interface CancellationReason {
  Code?: string;
  Item?: Record<string, AttributeValue>;
}

/** Pairs each cancellation reason with the item it was given for (DynamoDB lists them in request order). */
function reasonsByItem(error: unknown, items: readonly TransactionItem[]) {
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return items.map((item, i) => {
    const stored = reasons[i]?.Item;
    return { item, code: reasons[i]?.Code ?? "None", current: stored ? unmarshall(stored) : undefined };
  });
}

/**
 * Runs a TransactWriteItems. A cancellation for a failed condition throws that item's own domain
 * error; contention (conflicts with concurrent transactions, throttling) is retried with backoff
 * and jitter up to `maxAttempts`, then `onConflict` is thrown if any attempt met a conflict (else
 * the throttling error itself). The SDK's idempotency token makes
 * its own retries of one attempt (after a lost response) apply the transaction at most once.
 * Anything else is rethrown as the SDK raised it.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: readonly TransactionItem[],
  options: TransactWriteOptions,
): Promise<void> {
  const { maxAttempts } = { ...defaultRetryPolicy, ...options };
  let conflicted = false;
  for (let attempt = 1; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.write) }));
      return;
    } catch (error) {
      const name = errorName(error);
      if (name === "TransactionCanceledException") {
        const reasons = reasonsByItem(error, items);
        const failed = reasons.find((r) => r.code === "ConditionalCheckFailed");
        if (failed) {
          throw (
            failed.item.onConditionFailed?.(failed.current) ??
            new AwsAdapterError(
              AwsAdapterErrorCode.conditionFailed,
              `the condition on ${failed.item.describe ?? "a transaction item"} did not hold`,
              { cause: error },
            )
          );
        }
        const codes = reasons.map((r) => r.code);
        if (codes.some((c) => CONFLICT_REASONS.has(c))) conflicted = true;
        else if (!codes.some((c) => THROTTLE_REASONS.has(c))) throw error;
      } else if (name && CONFLICT_ERRORS.has(name)) {
        conflicted = true;
      } else if (!name || !THROTTLE_ERRORS.has(name)) {
        throw error;
      }
      if (attempt >= maxAttempts) {
        // Throttling that outlasts the retries is no conflict: it stays the SDK's error.
        if (!conflicted) throw error;
        const conflict = options.onConflict(attempt);
        if (conflict.cause === undefined) Object.assign(conflict, { cause: error });
        throw conflict;
      }
      await backoff(attempt, options);
    }
  }
}
