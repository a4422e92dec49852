import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type CreateRoomOptions,
  DjRoomError,
  type EntryStatus,
  type Guest,
  type QueueEntry,
  type Room,
  type RoomStore,
  type VoteValue,
} from "@portside/dj-room";
import { backoff as retryDelay } from "../dynamodb/backoff.js";
import { cancellationCodes, isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import { type TransactionItem, transactWrite } from "../dynamodb/transact.js";
import { putOnce, updateOnce } from "../dynamodb/write-once.js";
import { backoff, isRetryableContention, storeFailure } from "./errors.js";
import { DUE_ROOMS_INDEX } from "./tables.js";

/** Options of `createDynamoRoomStore`: the client and the rooms table. */
export interface DynamoRoomStoreOptions {
  client: DynamoDBClient;
  /** `<prefix>-rooms`: see `tableName(prefix, "rooms")` and `roomsTableDefinition`. */
  tableName: string;
  /** Attempts for a vote under contention before giving up with `conflict`. Default 50. */
  maxVoteAttempts?: number;
}

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const key = (id: string) => encodeURIComponent(id);
const roomPk = (roomId: string) => `ROOM#${key(roomId)}`;
const K = {
  room: (roomId: string) => ({ pk: roomPk(roomId), sk: "ROOM" }),
  sequence: (roomId: string) => ({ pk: roomPk(roomId), sk: "SEQ" }),
  changes: (roomId: string) => ({ pk: roomPk(roomId), sk: "CHANGES" }),
  code: (code: string) => ({ pk: `CODE#${code}`, sk: "CODE" }),
  host: (hostId: string) => ({ pk: `HOST#${key(hostId)}`, sk: "HOST" }),
  guest: (roomId: string, guestId: string) => ({ pk: roomPk(roomId), sk: `GUEST#${key(guestId)}` }),
  entry: (roomId: string, entryId: string) => ({ pk: roomPk(roomId), sk: `ENTRY#${key(entryId)}` }),
  track: (roomId: string, trackId: string) => ({ pk: roomPk(roomId), sk: `TRACK#${key(trackId)}` }),
  vote: (roomId: string, voterId: string, entryId: string) => ({
    pk: roomPk(roomId),
    sk: `VOTE#${key(voterId)}#${key(entryId)}`,
  }),
  skip: (roomId: string, playId: string) => ({ pk: roomPk(roomId), sk: `SKIP#${key(playId)}` }),
};

/** A vote's own condition failed: the voter's previous vote changed since it was read. */
class VoteMoved extends Error {}

/** Attempts of a transaction under contention before its caller sees the cancellation. */
const TRANSACT_ATTEMPTS = 10;

const strip = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, dueShard: _shard, dueAt: _at, writeToken: _token, ...rest } = item;
  return rest as T;
};

/** The due index's one partition and its sortable time (zero-padded epoch ms). */
const DUE_SHARD = "DUE";
const dueAt = (time: number) => String(Math.max(0, Math.floor(time))).padStart(15, "0");

/**
 * Rooms in one DynamoDB table: a partition per room (room, guests, entries, track claims,
 * votes, skip votes) plus an item per claimed code and per host. Every multi-item change is
 * a transaction with conditions, so concurrent votes and adds are never lost or doubled, and
 * a refused write changes nothing. Condition failures become `DjRoomError`s.
 */
export function createDynamoRoomStore(options: DynamoRoomStoreOptions): RoomStore {
  const TableName = options.tableName;
  const maxVoteAttempts = options.maxVoteAttempts ?? 50;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

  const get = async (Key: Item): Promise<Item | null> => {
    const { Item } = await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    return Item ?? null;
  };
  const queryPrefix = async (pk: string, prefix: string): Promise<Item[]> => {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  /**
   * A transaction whose callers map condition failures themselves; contention (a cancellation
   * with no failed condition, conflicts, throttling) is retried with backoff and jitter first.
   */
  const transact = async (TransactItems: TransactItem[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await doc.send(new TransactWriteCommand({ TransactItems }));
      } catch (error) {
        const codes = cancellationCodes(error);
        const contention = codes ? !codes.includes("ConditionalCheckFailed") : isRetryableContention(error);
        if (!contention || attempt >= TRANSACT_ATTEMPTS) throw error;
        await retryDelay(attempt);
      }
    }
  };
  const guarded = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(operation, error);
    }
  };

  const readRoom = async (roomId: string) => {
    const item = await get(K.room(roomId));
    return item ? strip<Room>(item) : null;
  };
  const requireRoom = async (roomId: string) => {
    const room = await readRoom(roomId);
    if (!room) throw new DjRoomError("ROOM_NOT_FOUND", `No room ${roomId}`);
    return room;
  };
  const roomVersionFailure = async (
    roomId: string,
    expectedVersion: number,
    closing = false,
  ): Promise<never> => {
    const room = await requireRoom(roomId);
    if (room.version === expectedVersion && closing && room.status === "closed") {
      throw new DjRoomError("ROOM_CLOSED", `Room ${roomId} is closed`);
    }
    if (room.version === expectedVersion && !closing && room.status === "open") {
      throw new DjRoomError("CONFLICT", `Room ${roomId} is open`);
    }
    throw new DjRoomError("CONFLICT", "Room changed since it was read", {
      details: { expectedVersion, actualVersion: room.version },
    });
  };
  /**
   * Claims a code and a host slot alongside `first`, each item with its own failure: the code's
   * item refusing is `ROOM_CODE_TAKEN`, the host's is `HOST_ROOM_LIMIT`, whatever their order.
   * Conflicts with concurrent transactions are retried, then reported as such.
   */
  const claimTransaction = (
    first: TransactionItem,
    code: string,
    roomId: string,
    hostId: string,
    opts: CreateRoomOptions,
    extra: TransactionItem[] = [],
  ) =>
    transactWrite(
      doc,
      [
        first,
        {
          write: {
            Put: {
              TableName,
              Item: { ...K.code(code), roomId },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          onConditionFailed: () => new DjRoomError("ROOM_CODE_TAKEN", `Room code ${code} is in use`),
        },
        {
          write: {
            Update: {
              TableName,
              Key: K.host(hostId),
              UpdateExpression: "SET openRooms = if_not_exists(openRooms, :zero) + :one ADD rooms :room",
              ConditionExpression: "attribute_not_exists(openRooms) OR openRooms < :max",
              ExpressionAttributeValues: {
                ":zero": 0,
                ":one": 1,
                ":max": opts.maxOpenRoomsPerHost,
                ":room": new Set([roomId]),
              },
            },
          },
          onConditionFailed: () =>
            new DjRoomError(
              "HOST_ROOM_LIMIT",
              `The host already has ${opts.maxOpenRoomsPerHost} open room(s)`,
              {
                details: { maxOpenRoomsPerHost: opts.maxOpenRoomsPerHost },
              },
            ),
        },
        ...extra,
      ],
      {
        onConflict: (attempts) =>
          new DjRoomError(
            "CONFLICT",
            `Claiming room code ${code} kept conflicting with other writes (${attempts} attempts)`,
          ),
      },
    );

  const entryFailure = async (roomId: string, entryId: string, from: EntryStatus): Promise<never> => {
    const item = await get(K.entry(roomId, entryId));
    if (!item) throw new DjRoomError("ENTRY_NOT_FOUND", `No entry ${entryId}`);
    const entry = strip<QueueEntry>(item);
    throw new DjRoomError(
      from === "queued" ? "ENTRY_NOT_QUEUED" : "CONFLICT",
      `Entry ${entryId} is ${entry.status}, not ${from}`,
      { details: { status: entry.status } },
    );
  };
  const readEntry = async (roomId: string, entryId: string) => {
    const item = await get(K.entry(roomId, entryId));
    return item ? strip<QueueEntry>(item) : null;
  };

  return {
    createRoom: (room, opts, host) =>
      guarded("createRoom", async () => {
        if (host && host.roomId !== room.id) {
          throw new DjRoomError("VALIDATION_FAILED", "The host guest belongs to another room");
        }
        const hostItem: TransactionItem[] = host
          ? [
              {
                write: {
                  Put: {
                    TableName,
                    Item: { ...host, ...K.guest(room.id, host.id) },
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
                onConditionFailed: () => new DjRoomError("CONFLICT", `Guest ${host.id} exists`),
              },
            ]
          : [];
        await claimTransaction(
          {
            write: {
              Put: {
                TableName,
                Item: {
                  ...room,
                  ...K.room(room.id),
                  ...(room.nextCheckAt === null
                    ? {}
                    : { dueShard: DUE_SHARD, dueAt: dueAt(room.nextCheckAt) }),
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            onConditionFailed: () => new DjRoomError("CONFLICT", `Room ${room.id} exists`),
          },
          room.code,
          room.id,
          room.hostId,
          opts,
          hostItem,
        );
      }),

    getRoom: (roomId) => guarded("getRoom", () => readRoom(roomId)),

    findOpenRoomId: (code) =>
      guarded("findOpenRoomId", async () => {
        const item = await get(K.code(code));
        return item ? String(item.roomId) : null;
      }),

    listRoomsByHost: (hostId) =>
      guarded("listRoomsByHost", async () => {
        const host = await get(K.host(hostId));
        const ids = [...((host?.rooms as Set<string> | undefined) ?? [])];
        const rooms: Room[] = [];
        for (let i = 0; i < ids.length; i += 100) {
          let Keys: Item[] | undefined = ids.slice(i, i + 100).map((id) => K.room(id));
          while (Keys && Keys.length > 0) {
            const result = await doc.send(
              new BatchGetCommand({ RequestItems: { [TableName]: { Keys, ConsistentRead: true } } }),
            );
            rooms.push(...(result.Responses?.[TableName] ?? []).map((item) => strip<Room>(item)));
            Keys = result.UnprocessedKeys?.[TableName]?.Keys as Item[] | undefined;
          }
        }
        return rooms.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
      }),

    updateRoom: (room, expectedVersion) =>
      guarded("updateRoom", async () => {
        try {
          const writeToken = randomUUID();
          const Attributes = await updateOnce(
            doc,
            {
              TableName,
              Key: K.room(room.id),
              UpdateExpression: `SET #name = :name, settings = :settings, playback = :playback, player = :player, nextCheckAt = :nextCheckAt, lastActiveAt = :lastActiveAt, version = :next, writeToken = :wt${
                room.nextCheckAt === null
                  ? " REMOVE dueShard, dueAt"
                  : ", dueShard = :dueShard, dueAt = :dueAt"
              }`,
              ConditionExpression: "attribute_exists(pk) AND version = :expected",
              ExpressionAttributeNames: { "#name": "name" },
              ExpressionAttributeValues: {
                ":name": room.name,
                ":settings": room.settings,
                ":playback": room.playback,
                ":player": room.player,
                ":nextCheckAt": room.nextCheckAt,
                ":lastActiveAt": room.lastActiveAt,
                ":expected": expectedVersion,
                ":next": expectedVersion + 1,
                ":wt": writeToken,
                ...(room.nextCheckAt === null
                  ? {}
                  : { ":dueShard": DUE_SHARD, ":dueAt": dueAt(room.nextCheckAt) }),
              },
            },
            { token: writeToken },
          );
          return strip<Room>(Attributes);
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          const stored = await requireRoom(room.id);
          throw new DjRoomError("CONFLICT", "Room changed since it was read", {
            details: { expectedVersion, actualVersion: stored.version },
          });
        }
      }),

    closeRoom: (roomId, expectedVersion, closedAt) =>
      guarded("closeRoom", async () => {
        const room = await requireRoom(roomId);
        if (room.version === expectedVersion && room.status === "closed") {
          throw new DjRoomError("ROOM_CLOSED", `Room ${roomId} is closed`);
        }
        try {
          await transact([
            {
              Update: {
                TableName,
                Key: K.room(roomId),
                UpdateExpression:
                  "SET #status = :closed, closedAt = :at, nextCheckAt = :none, version = :next REMOVE dueShard, dueAt",
                ConditionExpression: "version = :expected AND #status = :open",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":closed": "closed",
                  ":open": "open",
                  ":at": closedAt,
                  ":none": null,
                  ":expected": expectedVersion,
                  ":next": expectedVersion + 1,
                },
              },
            },
            {
              Delete: {
                TableName,
                Key: K.code(room.code),
                ConditionExpression: "attribute_not_exists(pk) OR roomId = :id",
                ExpressionAttributeValues: { ":id": roomId },
              },
            },
            {
              Update: {
                TableName,
                Key: K.host(room.hostId),
                UpdateExpression: "SET openRooms = openRooms - :one",
                ConditionExpression: "openRooms > :zero",
                ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
              },
            },
          ]);
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
          return roomVersionFailure(roomId, expectedVersion, true);
        }
        return { ...room, status: "closed" as const, closedAt, version: expectedVersion + 1 };
      }),

    reopenRoom: (roomId, code, expectedVersion, opts, reopenedAt) =>
      guarded("reopenRoom", async () => {
        const room = await requireRoom(roomId);
        if (room.version === expectedVersion && room.status === "open") {
          throw new DjRoomError("CONFLICT", `Room ${roomId} is open`);
        }
        await claimTransaction(
          {
            write: {
              Update: {
                TableName,
                Key: K.room(roomId),
                UpdateExpression:
                  "SET #status = :open, code = :code, closedAt = :null, lastActiveAt = :at, version = :next",
                ConditionExpression: "version = :expected AND #status = :closed",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":open": "open",
                  ":closed": "closed",
                  ":code": code,
                  ":null": null,
                  ":at": reopenedAt,
                  ":expected": expectedVersion,
                  ":next": expectedVersion + 1,
                },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            onConditionFailed: (current) =>
              new DjRoomError(
                "CONFLICT",
                current?.version === expectedVersion
                  ? `Room ${roomId} is open`
                  : "Room changed since it was read",
                { details: { expectedVersion, actualVersion: current?.version ?? null } },
              ),
          },
          code,
          roomId,
          room.hostId,
          opts,
        );
        return {
          ...room,
          status: "open" as const,
          code,
          closedAt: null,
          lastActiveAt: reopenedAt,
          version: expectedVersion + 1,
        };
      }),

    listDueRooms: (dueBy, limit) =>
      guarded("listDueRooms", async () => {
        const ids: string[] = [];
        let ExclusiveStartKey: Item | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName,
              IndexName: DUE_ROOMS_INDEX.name,
              KeyConditionExpression: "dueShard = :shard AND dueAt <= :dueBy",
              ExpressionAttributeValues: { ":shard": DUE_SHARD, ":dueBy": dueAt(dueBy) },
              Limit: limit - ids.length,
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? [])
            ids.push(decodeURIComponent(String(item.pk).slice("ROOM#".length)));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey && ids.length < limit);
        return ids;
      }),

    // A compare-and-set in a one-item transaction, not an ADD: an ADD the SDK retries after a
    // lost response counts twice; the transaction's idempotency token makes that retry a no-op,
    // so the version this call got is exactly `current + 1`.
    nextChangeVersion: (roomId) =>
      guarded("nextChangeVersion", async () => {
        for (let attempt = 1; ; attempt++) {
          const current = Number((await get(K.changes(roomId)))?.version ?? 0);
          try {
            await doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName,
                      Key: K.changes(roomId),
                      UpdateExpression: "SET version = :next",
                      ConditionExpression: "attribute_not_exists(version) OR version = :current",
                      ExpressionAttributeValues: { ":next": current + 1, ":current": current },
                    },
                  },
                ],
              }),
            );
            return current + 1;
          } catch (error) {
            // Another change took this version (or the transaction met a conflict): read and try again.
            if (!cancellationCodes(error) && !isRetryableContention(error)) throw error;
            await retryDelay(Math.min(attempt, 6));
          }
        }
      }),
    changeVersion: (roomId) =>
      guarded("changeVersion", async () => Number((await get(K.changes(roomId)))?.version ?? 0)),

    nextSequence: (roomId) =>
      guarded("nextSequence", async () => {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName,
            Key: K.sequence(roomId),
            UpdateExpression: "ADD seq :one",
            ExpressionAttributeValues: { ":one": 1 },
            ReturnValues: "UPDATED_NEW",
          }),
        );
        return Number(Attributes?.seq);
      }),

    createGuest: (guest) =>
      guarded("createGuest", async () => {
        // A write token tells a retried put whose first attempt landed (lost response) from a clash.
        const writeToken = randomUUID();
        const key = K.guest(guest.roomId, guest.id);
        try {
          await putOnce(
            doc,
            {
              TableName,
              Item: { ...guest, ...key, writeToken },
              ConditionExpression: "attribute_not_exists(pk)",
            },
            key,
            { token: writeToken },
          );
        } catch (error) {
          if (isConditionalCheckFailed(error)) throw new DjRoomError("CONFLICT", `Guest ${guest.id} exists`);
          throw error;
        }
      }),

    getGuest: (roomId, guestId) =>
      guarded("getGuest", async () => {
        const item = await get(K.guest(roomId, guestId));
        return item ? strip<Guest>(item) : null;
      }),

    listGuests: (roomId) =>
      guarded("listGuests", async () =>
        (await queryPrefix(roomPk(roomId), "GUEST#"))
          .map((item) => strip<Guest>(item))
          .sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id)),
      ),

    updateGuest: (guest, expectedVersion) =>
      guarded("updateGuest", async () => {
        const next = { ...guest, version: expectedVersion + 1 };
        try {
          await doc.send(
            new PutCommand({
              TableName,
              Item: { ...next, ...K.guest(guest.roomId, guest.id) },
              ConditionExpression: "version = :expected",
              ExpressionAttributeValues: { ":expected": expectedVersion },
            }),
          );
          return next;
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          const stored = await get(K.guest(guest.roomId, guest.id));
          if (!stored) throw new DjRoomError("GUEST_NOT_FOUND", `No guest ${guest.id}`);
          throw new DjRoomError("CONFLICT", "Guest changed since it was read", {
            details: { expectedVersion, actualVersion: stored.version },
          });
        }
      }),

    addEntry: (entry, guest, expectedGuestVersion) =>
      guarded("addEntry", () =>
        transactWrite(
          doc,
          [
            {
              write: {
                Put: {
                  TableName,
                  Item: { ...entry, ...K.entry(entry.roomId, entry.id) },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              onConditionFailed: () => new DjRoomError("CONFLICT", `Entry ${entry.id} exists`),
            },
            {
              write: {
                Put: {
                  TableName,
                  Item: { ...K.track(entry.roomId, entry.track.id), entryId: entry.id },
                  ConditionExpression: "attribute_not_exists(pk)",
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                },
              },
              onConditionFailed: (holder) =>
                new DjRoomError("TRACK_ALREADY_QUEUED", `Track ${entry.track.id} is already queued`, {
                  details: { entryId: holder?.entryId ?? null },
                }),
            },
            {
              write: {
                Put: {
                  TableName,
                  Item: { ...guest, version: expectedGuestVersion + 1, ...K.guest(guest.roomId, guest.id) },
                  ConditionExpression: "version = :expected",
                  ExpressionAttributeValues: { ":expected": expectedGuestVersion },
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                },
              },
              onConditionFailed: (stored) =>
                stored
                  ? new DjRoomError("CONFLICT", `Guest ${guest.id} changed since it was read`, {
                      details: { expectedVersion: expectedGuestVersion, actualVersion: stored.version },
                    })
                  : new DjRoomError("GUEST_NOT_FOUND", `No guest ${guest.id}`),
            },
          ],
          {
            onConflict: (attempts) =>
              new DjRoomError(
                "CONFLICT",
                `Queueing kept conflicting with other writes (${attempts} attempts)`,
              ),
          },
        ),
      ),

    getEntry: (roomId, entryId) => guarded("getEntry", () => readEntry(roomId, entryId)),

    listEntries: (roomId, statuses) =>
      guarded("listEntries", async () =>
        (await queryPrefix(roomPk(roomId), "ENTRY#"))
          .map((item) => strip<QueueEntry>(item))
          .filter((e) => !statuses || statuses.includes(e.status))
          .sort((a, b) => a.seq - b.seq),
      ),

    transitionEntry: (roomId, entryId, transition) =>
      guarded("transitionEntry", async () => {
        const entry = await readEntry(roomId, entryId);
        if (!entry) throw new DjRoomError("ENTRY_NOT_FOUND", `No entry ${entryId}`);
        const endedAt = transition.endedAt === undefined ? entry.endedAt : transition.endedAt;
        const update: TransactItem = {
          Update: {
            TableName,
            Key: K.entry(roomId, entryId),
            UpdateExpression: "SET #status = :to, endedAt = :endedAt",
            ConditionExpression: "#status = :from",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":to": transition.to,
              ":from": transition.from,
              ":endedAt": endedAt,
            },
          },
        };
        const items: TransactItem[] = [update];
        if (transition.from === "queued") {
          items.push({
            Delete: {
              TableName,
              Key: K.track(roomId, entry.track.id),
              ConditionExpression: "attribute_not_exists(pk) OR entryId = :id",
              ExpressionAttributeValues: { ":id": entryId },
            },
          });
        }
        try {
          await transact(items);
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
          return entryFailure(roomId, entryId, transition.from);
        }
        return { ...entry, status: transition.to, endedAt };
      }),

    pinEntry: (roomId, entryId, pinnedSeq) =>
      guarded("pinEntry", async () => {
        try {
          const { Attributes } = await doc.send(
            new UpdateCommand({
              TableName,
              Key: K.entry(roomId, entryId),
              UpdateExpression: "SET pinnedSeq = :pin",
              ConditionExpression: "#status = :queued",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":pin": pinnedSeq, ":queued": "queued" },
              ReturnValues: "ALL_NEW",
            }),
          );
          return strip<QueueEntry>(Attributes!);
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          return entryFailure(roomId, entryId, "queued");
        }
      }),

    setVote: (roomId, entryId, voterId, value) =>
      guarded("setVote", async () => {
        const voteKey = K.vote(roomId, voterId, entryId);
        for (let attempt = 0; attempt < maxVoteAttempts; attempt++) {
          const stored = await get(voteKey);
          const previous = (stored ? Number(stored.value) : 0) as VoteValue;
          if (previous === value) {
            const entry = await readEntry(roomId, entryId);
            if (!entry) throw new DjRoomError("ENTRY_NOT_FOUND", `No entry ${entryId}`);
            if (entry.status !== "queued") return entryFailure(roomId, entryId, "queued");
            return entry;
          }
          const voteCondition = previous === 0 ? "attribute_not_exists(pk)" : "#value = :previous";
          const voteValues = previous === 0 ? {} : { ":previous": previous };
          const voteWrite: TransactItem =
            value === 0
              ? {
                  Delete: {
                    TableName,
                    Key: voteKey,
                    ConditionExpression: voteCondition,
                    ExpressionAttributeNames: { "#value": "value" },
                    ExpressionAttributeValues: voteValues,
                  },
                }
              : {
                  Put: {
                    TableName,
                    Item: { ...voteKey, entryId, voterId, value },
                    ConditionExpression: voteCondition,
                    ...(previous === 0
                      ? {}
                      : {
                          ExpressionAttributeNames: { "#value": "value" },
                          ExpressionAttributeValues: voteValues,
                        }),
                  },
                };
          const up = (value === 1 ? 1 : 0) - (previous === 1 ? 1 : 0);
          const down = (value === -1 ? 1 : 0) - (previous === -1 ? 1 : 0);
          try {
            await transactWrite(
              doc,
              [
                // The voter's vote changed under us (their own parallel request): read it again.
                { write: voteWrite, onConditionFailed: () => new VoteMoved() },
                {
                  write: {
                    Update: {
                      TableName,
                      Key: K.entry(roomId, entryId),
                      UpdateExpression: "ADD up :up, down :down",
                      ConditionExpression: "#status = :queued",
                      ExpressionAttributeNames: { "#status": "status" },
                      ExpressionAttributeValues: { ":up": up, ":down": down, ":queued": "queued" },
                      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                    },
                  },
                  onConditionFailed: (current) =>
                    current
                      ? new DjRoomError(
                          "ENTRY_NOT_QUEUED",
                          `Entry ${entryId} is ${current.status}, not queued`,
                          {
                            details: { status: current.status },
                          },
                        )
                      : new DjRoomError("ENTRY_NOT_FOUND", `No entry ${entryId}`),
                },
              ],
              {
                onConflict: (attempts) =>
                  new DjRoomError(
                    "CONFLICT",
                    `Too much contention on this vote (${attempts} attempts); try again`,
                  ),
              },
            );
            const entry = await readEntry(roomId, entryId);
            return entry!;
          } catch (error) {
            if (!(error instanceof VoteMoved)) throw error;
            await backoff(attempt);
          }
        }
        throw new DjRoomError("CONFLICT", "Too much contention on this vote; try again");
      }),

    listVotes: (roomId, voterId) =>
      guarded("listVotes", async () => {
        const result: Record<string, VoteValue> = {};
        for (const item of await queryPrefix(roomPk(roomId), `VOTE#${key(voterId)}#`)) {
          result[String(item.entryId)] = Number(item.value) as VoteValue;
        }
        return result;
      }),

    addSkipVote: (roomId, playId, voterId) =>
      guarded("addSkipVote", async () => {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName,
            Key: K.skip(roomId, playId),
            UpdateExpression: "ADD voters :voter",
            ExpressionAttributeValues: { ":voter": new Set([voterId]) },
            ReturnValues: "ALL_NEW",
          }),
        );
        return (Attributes?.voters as Set<string> | undefined)?.size ?? 0;
      }),

    countSkipVotes: (roomId, playId) =>
      guarded("countSkipVotes", async () => {
        const item = await get(K.skip(roomId, playId));
        return (item?.voters as Set<string> | undefined)?.size ?? 0;
      }),
  };
}
