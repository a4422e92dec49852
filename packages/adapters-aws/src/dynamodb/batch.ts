import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AwsAdapterError, AwsAdapterErrorCode } from "../errors.js";
import { backoff, defaultRetryPolicy, type RetryPolicy } from "./backoff.js";
import type { Item, Key } from "./paginate.js";

/** One write of a batch, in the document client's form. */
export type BatchWrite = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

const WRITE_CHUNK = 25;
const GET_CHUNK = 100;

function chunks<T>(all: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/**
 * Runs `step` on `pending` until nothing is left, waiting with backoff and jitter between rounds;
 * `step` returns what DynamoDB left unprocessed. Throws when the attempts run out.
 */
async function untilProcessed<T>(
  what: string,
  pending: T[],
  step: (pending: T[]) => Promise<T[]>,
  policy: RetryPolicy,
): Promise<void> {
  const { maxAttempts } = { ...defaultRetryPolicy, ...policy };
  let left = pending;
  for (let attempt = 1; left.length > 0; attempt++) {
    if (attempt > 1) {
      if (attempt > maxAttempts) {
        throw new AwsAdapterError(
          AwsAdapterErrorCode.batchIncomplete,
          `${what}: ${left.length} of ${pending.length} items still unprocessed after ${maxAttempts} attempts`,
        );
      }
      await backoff(attempt - 1, policy);
    }
    left = await step(left);
  }
}

/**
 * Writes every put and delete to `tableName`, 25 to a request, retrying what DynamoDB returns as
 * `UnprocessedItems` with backoff and jitter; throws `DYNAMODB_BATCH_INCOMPLETE` rather than drop any.
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  writes: readonly BatchWrite[],
  policy: RetryPolicy = {},
): Promise<void> {
  for (const chunk of chunks(writes, WRITE_CHUNK)) {
    await untilProcessed(
      `BatchWriteItem on ${tableName}`,
      chunk,
      async (pending) => {
        const { UnprocessedItems } = await doc.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        return (UnprocessedItems?.[tableName] ?? []) as BatchWrite[];
      },
      policy,
    );
  }
}

export interface BatchGetOptions extends RetryPolicy {
  consistentRead?: boolean;
  projectionExpression?: string;
  expressionAttributeNames?: Record<string, string>;
}

/**
 * Reads the items at `keys` from `tableName` (duplicates once), 100 to a request, retrying
 * `UnprocessedKeys` with backoff and jitter; throws `DYNAMODB_BATCH_INCOMPLETE` rather than return
 * a partial answer. Items come back in no particular order; keys with no item are left out.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: BatchGetOptions = {},
): Promise<Item[]> {
  const identity = (key: Key) =>
    JSON.stringify(
      Object.keys(key)
        .sort()
        .map((name) => [name, key[name]]),
    );
  const unique = [...new Map(keys.map((key) => [identity(key), key])).values()];
  const items: Item[] = [];
  for (const chunk of chunks(unique, GET_CHUNK)) {
    await untilProcessed(
      `BatchGetItem on ${tableName}`,
      chunk,
      async (pending) => {
        const { Responses, UnprocessedKeys } = await doc.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ConsistentRead: options.consistentRead,
                ProjectionExpression: options.projectionExpression,
                ExpressionAttributeNames: options.expressionAttributeNames,
              },
            },
          }),
        );
        items.push(...(Responses?.[tableName] ?? []));
        return (UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      },
      options,
    );
  }
  return items;
}
