import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { HostTokenStore } from "@portside/dj-room/spotify";
import { storeFailure } from "./errors.js";

export interface DynamoHostTokenStoreOptions {
  client: DynamoDBClient;
  /** The `<prefix>-rooms` table: tokens live beside the rooms, one item per host. */
  tableName: string;
}

/** Hosts' Spotify tokens in DynamoDB. It only ever sees the `TokenCipher`'s ciphertext. */
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
  return {
    get: (hostId) =>
      guarded("getHostTokens", async () => {
        const { Item } = await doc.send(
          new GetCommand({ TableName, Key: Key(hostId), ConsistentRead: true }),
        );
        return typeof Item?.ciphertext === "string" ? Item.ciphertext : null;
      }),
    put: (hostId, ciphertext) =>
      guarded("putHostTokens", async () => {
        await doc.send(
          new PutCommand({ TableName, Item: { ...Key(hostId), ciphertext, updatedAt: Date.now() } }),
        );
      }),
    delete: (hostId) =>
      guarded("deleteHostTokens", async () => {
        await doc.send(new DeleteCommand({ TableName, Key: Key(hostId) }));
      }),
  };
}
