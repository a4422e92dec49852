import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimiter } from "@portside/dj-room";
import { storeFailure } from "./errors.js";
import { CONNECTION_TTL_ATTRIBUTE } from "./tables.js";

/** Options of `createDynamoRateLimiter`: the client and the table holding the rate windows. */
export interface DynamoRateLimiterOptions {
  client: DynamoDBClient;
  /** The `<prefix>-rooms` table: one small item per key and window, expiring by TTL. */
  tableName: string;
}

/**
 * Fixed-window counters every instance shares: one atomic `ADD` per hit, so a guest or an
 * address gets the same limit whichever instance (or Lambda) answers it.
 */
export function createDynamoRateLimiter(options: DynamoRateLimiterOptions): RateLimiter {
  const TableName = options.tableName;
  const doc = DynamoDBDocumentClient.from(options.client);
  return {
    async hit(key, limit, now) {
      const start = now - (now % limit.windowMs);
      const end = start + limit.windowMs;
      try {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName,
            Key: { pk: `RATE#${key}`, sk: String(start) },
            UpdateExpression: "ADD hits :one SET #expires = :expires",
            ExpressionAttributeNames: { "#expires": CONNECTION_TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ":one": 1, ":expires": Math.ceil(end / 1000) + 60 },
            ReturnValues: "UPDATED_NEW",
          }),
        );
        return { allowed: Number(Attributes?.hits) <= limit.max, retryAfterMs: end - now };
      } catch (error) {
        throw storeFailure("rateLimit", error);
      }
    },
  };
}
