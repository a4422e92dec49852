import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { DjRoomError } from "@portside/dj-room";
import type { HostTokenStore } from "@portside/dj-room/spotify";
import { isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import { storeFailure } from "./errors.js";

/** Options of `createDynamoHostTokenStore`: the client and the table holding hosts' encrypted Spotify tokens. */
export interface DynamoHostTokenStoreOptions {
  client: DynamoDBClient;
  /** The `<prefix>-rooms` table: tokens live beside the rooms, one item per host. */
  tableName: string;
}

/**
 * Hosts' Spotify tokens in DynamoDB. It only ever sees the `TokenCipher`'s ciphertext; every
 * write carries a version, and a conditional write refuses a stale one (`CONFLICT`).
 */
export function createDynamoHostTokenStore(options: DynamoHostTokenStoreOptions): HostTokenStore {
  const TableName = options.tableName;
  const doc = DynamoDBDocumentClient.from(options.client);
  const Key = (hostId: string) => ({ pk: `HOST#${encodeURIComponent(hostId)}`, sk: "SPOTIFY_TOKENS" });
  const guarded = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(operation, error);
    }
  };
  const read = async (hostId: string) => {
    const { Item } = await doc.send(new GetCommand({ TableName, Key: Key(hostId), ConsistentRead: true }));
    if (typeof Item?.ciphertext !== "string") return null;
    const blockedUntil = Number(Item.blockedUntil ?? 0);
    return {
      ciphertext: Item.ciphertext,
      version: Number(Item.version ?? 0),
      ...(blockedUntil ? { blockedUntil } : {}),
    };
  };
  return {
    get: (hostId) => guarded("getHostTokens", () => read(hostId)),
    put: (hostId, ciphertext, expectedVersion) =>
      guarded("putHostTokens", async () => {
        const current = expectedVersion === undefined ? await read(hostId) : null;
        const base = expectedVersion === undefined ? (current?.version ?? 0) : (expectedVersion ?? 0);
        const version = base + 1;
        try {
          await doc.send(
            new PutCommand({
              TableName,
              Item: { ...Key(hostId), ciphertext, version, updatedAt: Date.now() },
              ...(expectedVersion === undefined
                ? {}
                : expectedVersion === null
                  ? { ConditionExpression: "attribute_not_exists(pk)" }
                  : {
                      ConditionExpression: "version = :expected",
                      ExpressionAttributeValues: { ":expected": expectedVersion },
                    }),
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          // A retried write that had landed reads back as ours (same ciphertext, our version).
          const stored = await read(hostId);
          if (stored?.ciphertext === ciphertext && stored.version === version) return version;
          throw new DjRoomError("CONFLICT", "The host's tokens changed since they were read", {
            details: { expectedVersion, actualVersion: stored?.version ?? null },
          });
        }
        return version;
      }),
    holdUntil: (hostId, until) =>
      guarded("holdHostTokens", async () => {
        try {
          await doc.send(
            new UpdateCommand({
              TableName,
              Key: Key(hostId),
              UpdateExpression: "SET blockedUntil = :until",
              ConditionExpression:
                "attribute_exists(pk) AND (attribute_not_exists(blockedUntil) OR blockedUntil < :until)",
              ExpressionAttributeValues: { ":until": until },
            }),
          );
        } catch (error) {
          // A later backoff is already stored (or the tokens are gone): nothing to do.
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    delete: (hostId, version) =>
      guarded("deleteHostTokens", async () => {
        try {
          await doc.send(
            new DeleteCommand({
              TableName,
              Key: Key(hostId),
              ...(version === undefined
                ? {}
                : {
                    ConditionExpression: "version = :version",
                    ExpressionAttributeValues: { ":version": version },
                  }),
            }),
          );
        } catch (error) {
          // Another version is stored now: it is not ours to delete.
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
  };
}
