import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { storeFailure } from "./errors.js";
import { CONNECTION_TTL_ATTRIBUTE } from "./tables.js";

/** One browser's WebSocket, as API Gateway names it, attached to a room. */
export interface RoomConnection {
  connectionId: string;
  roomId: string;
  guestId: string;
  connectedAt: number;
}

/** Which API Gateway connections listen to which room. */
export interface RoomConnectionStore {
  /** Remembers a connection of a room. */
  add(connection: RoomConnection): Promise<void>;
  /** One connection, or null. */
  get(connectionId: string): Promise<RoomConnection | null>;
  /** Forgets the connection; returns what it was, or null when it was already gone. */
  remove(connectionId: string): Promise<RoomConnection | null>;
  /** A room's connections. */
  listByRoom(roomId: string): Promise<RoomConnection[]>;
}

/** Options of `createDynamoConnectionStore`: the client and the table holding the rooms' WebSocket connections. */
export interface DynamoConnectionStoreOptions {
  client: DynamoDBClient;
  /** The `<prefix>-rooms` table: connections live in the room's partition. */
  tableName: string;
  /**
   * Items expire this long after connecting (DynamoDB TTL on `expiresAt`), so a `$disconnect`
   * that never arrived leaves nothing behind for long. API Gateway closes every connection
   * after 2 hours. Default 3 hours.
   */
  ttlSeconds?: number;
  /** The clock, in epoch milliseconds (for the TTL). */
  now?: () => number;
}

const roomPk = (roomId: string) => `ROOM#${encodeURIComponent(roomId)}`;
const K = {
  inRoom: (roomId: string, connectionId: string) => ({ pk: roomPk(roomId), sk: `CONN#${connectionId}` }),
  byId: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: "CONN" }),
};

/**
 * Connections in the rooms table: one item in the room's partition per connection (what
 * fan-out queries) and one per connection id (what `$disconnect`, which only knows the id, reads).
 */
export function createDynamoConnectionStore(options: DynamoConnectionStoreOptions): RoomConnectionStore {
  const TableName = options.tableName;
  const ttlSeconds = options.ttlSeconds ?? 3 * 60 * 60;
  const now = options.now ?? Date.now;
  const doc = DynamoDBDocumentClient.from(options.client);
  const guarded = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(operation, error);
    }
  };

  const read = async (connectionId: string) => {
    const { Item } = await doc.send(
      new GetCommand({ TableName, Key: K.byId(connectionId), ConsistentRead: true }),
    );
    return Item ? toConnection(Item) : null;
  };

  return {
    add: (connection) =>
      guarded("addConnection", async () => {
        const expiresAt = Math.floor(connection.connectedAt / 1000) + ttlSeconds;
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: { ...K.inRoom(connection.roomId, connection.connectionId), ...connection, expiresAt },
                },
              },
              { Put: { TableName, Item: { ...K.byId(connection.connectionId), ...connection, expiresAt } } },
            ],
          }),
        );
      }),
    get: (connectionId) => guarded("getConnection", () => read(connectionId)),
    remove: (connectionId) =>
      guarded("removeConnection", async () => {
        const connection = await read(connectionId);
        if (!connection) return null;
        await Promise.all([
          doc.send(new DeleteCommand({ TableName, Key: K.inRoom(connection.roomId, connectionId) })),
          doc.send(new DeleteCommand({ TableName, Key: K.byId(connectionId) })),
        ]);
        return connection;
      }),
    listByRoom: (roomId) =>
      guarded("listConnections", async () => {
        const connections: RoomConnection[] = [];
        const nowSeconds = Math.floor(now() / 1000);
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :conn)",
              ExpressionAttributeValues: { ":pk": roomPk(roomId), ":conn": "CONN#" },
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) {
            // TTL deletes lazily (up to days later): an expired item is already gone for us.
            if (Number(item[CONNECTION_TTL_ATTRIBUTE]) > nowSeconds) connections.push(toConnection(item));
          }
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        return connections;
      }),
  };
}

function toConnection(item: Record<string, unknown>): RoomConnection {
  return {
    connectionId: String(item.connectionId),
    roomId: String(item.roomId),
    guestId: String(item.guestId),
    connectedAt: Number(item.connectedAt),
  };
}
