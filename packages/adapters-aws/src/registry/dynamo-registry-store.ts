import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  type EntityType,
  type EntityWrite,
  type IncomingEdge,
  type IndexHit,
  type JobRecord,
  KEY_MAX,
  type KeyRange,
  RegistryErrorCode,
  type RegistryStore,
  type StoredEntity,
  StoreLimitError,
} from "@portside/registry-core";
import { isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import {
  batchGetAll,
  createDocumentClient,
  putOnce,
  type TransactionItem,
  transactWrite,
  WRITE_TOKEN_ATTRIBUTE,
} from "../dynamodb/index.js";
import { mapDynamoError } from "./errors.js";
import { EDGE_SEPARATOR, edgeItem, entityItem, indexItem, keys, uniqueItem } from "./keys.js";
import { REGISTRY_TABLE } from "./table.js";

/** Options of `createDynamoRegistryStore`: the client and the registry table. */
export interface DynamoRegistryStoreOptions {
  client: DynamoDBClient;
  /** `<prefix>-registry`: see `tableName(prefix, "registry")`. */
  tableName: string;
  /** Name of the secondary index (default `gsi1`, as `registryTableDefinition` creates it). */
  indexName?: string;
}

/** DynamoDB's item size limit. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** DynamoDB's limit of items in one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** How many times a commit is tried while it conflicts with concurrent transactions. */
const COMMIT_ATTEMPTS = 8;

function itemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [k, v] of Object.entries(item)) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  return size;
}

const edgeId = (fieldId: string, targetId: string) => `${fieldId}#${targetId}`;

/**
 * The registry on one DynamoDB table. Lookups by id are GetItem/BatchGetItem; lists, indexed
 * searches and incoming links are Queries on the `gsi1` index (never a Scan); every commit is one
 * TransactWriteItems whose conditions carry versions, unique keys, link targets and a per-entity
 * count of incoming edges (so a delete cannot strand a link written concurrently).
 */
export function createDynamoRegistryStore(options: DynamoRegistryStoreOptions): RegistryStore {
  const TableName = options.tableName;
  const IndexName = options.indexName ?? REGISTRY_TABLE.index;
  const doc = createDocumentClient(options.client);

  async function send<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapDynamoError(operation, error);
    }
  }

  async function queryAll(input: Omit<QueryCommandInput, "TableName">, limit = Number.POSITIVE_INFINITY) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await send("Query", () =>
        doc.send(
          new QueryCommand({
            TableName,
            ...input,
            ...(Number.isFinite(limit) && { Limit: Math.max(1, limit - items.length) }),
            ExclusiveStartKey,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items;
  }

  /**
   * Writes a whole versioned document (a type or a job): created when `expectedVersion` is null.
   * The item carries a write token, so a write whose response was lost (and which the SDK's retry
   * then finds "changed") is recognised as this write and reported as done.
   */
  async function putVersioned(
    item: { pk: string; sk: string; version: number; doc: unknown },
    expectedVersion: number | null,
    conflict: (cause: unknown) => ConflictError,
  ): Promise<void> {
    const token = randomUUID();
    try {
      await putOnce(
        doc,
        {
          TableName,
          Item: { ...item, doc: JSON.stringify(item.doc), [WRITE_TOKEN_ATTRIBUTE]: token },
          ConditionExpression: expectedVersion === null ? "attribute_not_exists(pk)" : "version = :v",
          ...(expectedVersion !== null && { ExpressionAttributeValues: { ":v": expectedVersion } }),
        },
        { pk: item.pk, sk: item.sk },
        { token },
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw conflict(error);
      throw mapDynamoError("PutItem", error);
    }
  }

  /** The transaction a commit is: each item with the conflict its failed condition means. */
  function planCommit(writes: readonly EntityWrite[]): TransactionItem[] {
    const items: TransactionItem[] = [];
    const push = (write: TransactItem, what: string, details: Record<string, unknown> = {}) => {
      items.push({ write, describe: what, onConditionFailed: () => new ConflictError(what, { details }) });
    };
    const touched = new Map<string, EntityWrite>();
    for (const w of writes) {
      if (touched.has(w.entity.id))
        throw new ConflictError(`Entity ${w.entity.id} written twice in one commit`);
      touched.set(w.entity.id, w);
    }
    const added = new Map<string, { count: number; type: string }>();
    const removed = new Map<string, number>();
    for (const w of writes) {
      const before = w.op === "create" ? [] : w.op === "update" ? w.previous.links : w.entity.links;
      const after = w.op === "delete" ? [] : w.entity.links;
      const beforeIds = new Set(before.map((l) => edgeId(l.fieldId, l.targetId)));
      const afterIds = new Set(after.map((l) => edgeId(l.fieldId, l.targetId)));
      for (const l of after) {
        if (beforeIds.has(edgeId(l.fieldId, l.targetId))) continue;
        const a = added.get(l.targetId) ?? { count: 0, type: l.targetType };
        a.count++;
        if (a.type !== l.targetType) throw new ConflictError(`Entity ${l.targetId} linked as two types`);
        added.set(l.targetId, a);
      }
      for (const l of before) {
        if (!afterIds.has(edgeId(l.fieldId, l.targetId)))
          removed.set(l.targetId, (removed.get(l.targetId) ?? 0) + 1);
      }
    }
    const delta = (id: string) => (added.get(id)?.count ?? 0) - (removed.get(id) ?? 0);

    const released = new Map<string, { entity: StoredEntity; key: Record<string, unknown> }>();
    const claimed = new Map<
      string,
      { entity: StoredEntity; item: Record<string, unknown>; fieldId: string }
    >();

    for (const w of writes) {
      const e = w.entity;
      const org = e.organisation;
      const target = added.get(e.id);
      if (target && target.type !== e.type && w.op !== "delete") {
        throw new ConflictError(`Link target ${e.id} is a ${e.type}, not a ${target.type}`);
      }
      if (w.op === "delete") {
        if (target) throw new ConflictError(`Entity ${e.id} is deleted and linked in the same commit`);
        push(
          {
            Delete: {
              TableName,
              Key: keys.entity(org, e.id),
              ConditionExpression: "version = :v AND inbound = :n",
              ExpressionAttributeValues: { ":v": e.version, ":n": removed.get(e.id) ?? 0 },
            },
          },
          `${e.type} ${e.id} changed, or is still linked from another entity`,
        );
        for (const entry of e.index) {
          push({ Delete: { TableName, Key: keys.indexEntry(org, e.id, entry.fieldId) } }, `index of ${e.id}`);
        }
        for (const edge of e.links)
          push({ Delete: { TableName, Key: keys.edge(org, e.id, edge) } }, `link of ${e.id}`);
        for (const entry of e.unique) {
          const key = keys.unique(org, e.type, entry);
          released.set(`${key.pk}`, { entity: e, key });
        }
        continue;
      }
      const item = entityItem(e, 0);
      const bytes = itemBytes(item);
      if (bytes > MAX_ITEM_BYTES) {
        throw new StoreLimitError(
          RegistryErrorCode.itemTooLarge,
          `${e.type} ${e.id} is ${Math.ceil(bytes / 1024)} KB stored, over DynamoDB's 400 KB item limit`,
          { details: { id: e.id, bytes } },
        );
      }
      if (w.op === "create") {
        item.inbound = delta(e.id);
        push(
          { Put: { TableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
          `${e.type} ${e.id} already exists`,
        );
        for (const entry of e.index)
          push({ Put: { TableName, Item: indexItem(e, entry) } }, `index of ${e.id}`);
        for (const edge of e.links) push({ Put: { TableName, Item: edgeItem(e, edge) } }, `link of ${e.id}`);
        for (const entry of e.unique) {
          const u = uniqueItem(e, entry);
          claimed.set(String(u.pk), { entity: e, item: u, fieldId: entry.fieldId });
        }
        continue;
      }
      const previous = w.previous;
      const d = delta(e.id);
      push(
        {
          Update: {
            TableName,
            Key: keys.entity(org, e.id),
            UpdateExpression: `SET #doc = :doc, version = :v, entityType = :t${d !== 0 ? " ADD inbound :d" : ""}`,
            ConditionExpression: "version = :prev",
            ExpressionAttributeNames: { "#doc": "doc" },
            ExpressionAttributeValues: {
              ":doc": item.doc,
              ":v": e.version,
              ":t": e.type,
              ":prev": previous.version,
              ...(d !== 0 && { ":d": d }),
            },
          },
        },
        `${e.type} ${e.id} is no longer at version ${previous.version}`,
      );
      const before = new Map(previous.index.map((i) => [i.fieldId, i.key]));
      const after = new Set(e.index.map((i) => i.fieldId));
      for (const entry of e.index) {
        if (before.get(entry.fieldId) !== entry.key) {
          push({ Put: { TableName, Item: indexItem(e, entry) } }, `index of ${e.id}`);
        }
      }
      for (const entry of previous.index) {
        if (!after.has(entry.fieldId)) {
          push({ Delete: { TableName, Key: keys.indexEntry(org, e.id, entry.fieldId) } }, `index of ${e.id}`);
        }
      }
      const beforeEdges = new Set(previous.links.map((l) => edgeId(l.fieldId, l.targetId)));
      const afterEdges = new Set(e.links.map((l) => edgeId(l.fieldId, l.targetId)));
      for (const edge of e.links) {
        if (!beforeEdges.has(edgeId(edge.fieldId, edge.targetId))) {
          push({ Put: { TableName, Item: edgeItem(e, edge) } }, `link of ${e.id}`);
        }
      }
      for (const edge of previous.links) {
        if (!afterEdges.has(edgeId(edge.fieldId, edge.targetId))) {
          push({ Delete: { TableName, Key: keys.edge(org, e.id, edge) } }, `link of ${e.id}`);
        }
      }
      const beforeUnique = new Set(previous.unique.map((u) => `${u.fieldId}\u0000${u.key}`));
      const afterUnique = new Set(e.unique.map((u) => `${u.fieldId}\u0000${u.key}`));
      for (const entry of e.unique) {
        if (beforeUnique.has(`${entry.fieldId}\u0000${entry.key}`)) continue;
        const u = uniqueItem(e, entry);
        claimed.set(String(u.pk), { entity: e, item: u, fieldId: entry.fieldId });
      }
      for (const entry of previous.unique) {
        if (afterUnique.has(`${entry.fieldId}\u0000${entry.key}`)) continue;
        const key = keys.unique(org, previous.type, entry);
        released.set(key.pk, { entity: previous, key });
      }
    }

    for (const [pk, claim] of claimed) {
      const releasedBy = released.get(pk);
      released.delete(pk);
      push(
        {
          Put: {
            TableName,
            Item: claim.item,
            ConditionExpression: releasedBy
              ? "attribute_not_exists(pk) OR id = :r"
              : "attribute_not_exists(pk)",
            ...(releasedBy && { ExpressionAttributeValues: { ":r": releasedBy.entity.id } }),
          },
        },
        `another ${claim.entity.type} already has this value of a unique field`,
        { fieldId: claim.fieldId },
      );
    }
    for (const { key, entity } of released.values()) {
      push(
        {
          Delete: {
            TableName,
            Key: key,
            ConditionExpression: "attribute_not_exists(pk) OR id = :id",
            ExpressionAttributeValues: { ":id": entity.id },
          },
        },
        `unique key of ${entity.id}`,
      );
    }

    const org = writes[0]!.entity.organisation;
    for (const id of new Set([...added.keys(), ...removed.keys()])) {
      if (touched.has(id)) continue;
      const a = added.get(id);
      push(
        {
          Update: {
            TableName,
            Key: keys.entity(org, id),
            UpdateExpression: "ADD inbound :d",
            ConditionExpression: a ? "attribute_exists(pk) AND entityType = :t" : "attribute_exists(pk)",
            ExpressionAttributeValues: { ":d": delta(id), ...(a && { ":t": a.type }) },
          },
        },
        a ? `link target ${a.type} ${id} does not exist` : `linked entity ${id} is gone`,
      );
    }
    return items;
  }

  return {
    label: `dynamodb:${TableName}`,

    async getType(organisation, name) {
      const { Item } = await send("GetItem", () =>
        doc.send(
          new GetCommand({
            TableName,
            Key: { pk: keys.org(organisation), sk: keys.type(name) },
            ConsistentRead: true,
          }),
        ),
      );
      return Item ? (JSON.parse(Item.doc as string) as EntityType) : null;
    },
    async listTypes(organisation) {
      const items = await queryAll({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :t)",
        ExpressionAttributeValues: { ":pk": keys.org(organisation), ":t": "T#" },
        ConsistentRead: true,
      });
      return items.map((i) => JSON.parse(i.doc as string) as EntityType);
    },
    async saveType(type, expectedVersion) {
      await putVersioned(
        { pk: keys.org(type.organisation), sk: keys.type(type.name), version: type.version, doc: type },
        expectedVersion,
        (cause) =>
          new ConflictError(`Entity type ${type.name} changed or already exists`, { expectedVersion, cause }),
      );
    },
    async deleteType(organisation, name, expectedVersion) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName,
            Key: { pk: keys.org(organisation), sk: keys.type(name) },
            ConditionExpression: "version = :v",
            ExpressionAttributeValues: { ":v": expectedVersion },
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) {
          const exists = await this.getType(organisation, name);
          // Gone: this delete's own retry after a lost response (the service read it just before).
          if (!exists) return;
          throw new ConflictError(`Entity type ${name} is at version ${exists.version}`, {
            expectedVersion,
            existing: exists.version,
          });
        }
        throw mapDynamoError("DeleteItem", error);
      }
    },

    async getEntity(organisation, id) {
      const { Item } = await send("GetItem", () =>
        doc.send(new GetCommand({ TableName, Key: keys.entity(organisation, id), ConsistentRead: true })),
      );
      return Item ? (JSON.parse(Item.doc as string) as StoredEntity) : null;
    },
    async getEntities(organisation, ids) {
      const items = await send("BatchGetItem", () =>
        batchGetAll(
          doc,
          TableName,
          ids.map((id) => keys.entity(organisation, id)),
          { consistentRead: true },
        ),
      );
      const found = new Map(
        items.map((item) => {
          const e = JSON.parse(item.doc as string) as StoredEntity;
          return [e.id, e];
        }),
      );
      return ids.flatMap((id) => {
        const e = found.get(id);
        return e ? [e] : [];
      });
    },
    async findUnique(organisation, type, fieldId, key) {
      const { Item } = await send("GetItem", () =>
        doc.send(
          new GetCommand({
            TableName,
            Key: keys.unique(organisation, type, { fieldId, key }),
            ConsistentRead: true,
          }),
        ),
      );
      return (Item?.id as string | undefined) ?? null;
    },
    async incoming(organisation, id, page) {
      const items = await queryAll(
        {
          IndexName,
          KeyConditionExpression: page ? "gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi" : "gsi1pk = :pk",
          ExpressionAttributeValues: {
            ":pk": keys.incoming(organisation, id),
            ...(page && {
              ":lo": page.afterSourceId
                ? [page.sourceType, page.afterSourceId, KEY_MAX].join(EDGE_SEPARATOR)
                : page.sourceType + EDGE_SEPARATOR,
              ":hi": page.sourceType + EDGE_SEPARATOR + KEY_MAX,
            }),
          },
        },
        page?.limit,
      );
      const edges: IncomingEdge[] = items.slice(0, page?.limit ?? items.length).map((i) => {
        const [type, sourceId, fieldId] = String(i.gsi1sk).split(EDGE_SEPARATOR) as [string, string, string];
        return { sourceType: type, sourceId, fieldId };
      });
      return page
        ? edges
        : edges.sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
    },
    async listIds(organisation, type, afterId, limit) {
      const items = await queryAll(
        {
          IndexName,
          KeyConditionExpression: afterId === null ? "gsi1pk = :pk" : "gsi1pk = :pk AND gsi1sk > :after",
          ExpressionAttributeValues: {
            ":pk": keys.typeList(organisation, type),
            ...(afterId !== null && { ":after": afterId }),
          },
        },
        limit,
      );
      return items.slice(0, limit).map((i) => String(i.gsi1sk));
    },
    async indexRange(organisation, type, fieldId, range: KeyRange, limit, options) {
      const { lower, upper } = range;
      let condition = "gsi1pk = :pk";
      const values: Record<string, unknown> = { ":pk": keys.fieldIndex(organisation, type, fieldId) };
      if (lower && upper) {
        condition += " AND gsi1sk BETWEEN :lo AND :hi";
        values[":lo"] = lower.key;
        values[":hi"] = upper.key;
      } else if (lower) {
        condition += ` AND gsi1sk ${lower.inclusive ? ">=" : ">"} :lo`;
        values[":lo"] = lower.key;
      } else if (upper) {
        condition += ` AND gsi1sk ${upper.inclusive ? "<=" : "<"} :hi`;
        values[":hi"] = upper.key;
      }
      if (lower && upper && lower.key > upper.key) return [];
      const hits: IndexHit[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await send("Query", () =>
          doc.send(
            new QueryCommand({
              TableName,
              IndexName,
              KeyConditionExpression: condition,
              ExpressionAttributeValues: values,
              ScanIndexForward: !options?.descending,
              Limit: limit - hits.length + 1,
              ExclusiveStartKey,
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          const key = String(item.gsi1sk);
          if (lower && !lower.inclusive && key === lower.key) continue;
          if (upper && !upper.inclusive && key === upper.key) continue;
          if (hits.length < limit) hits.push({ key, id: key.slice(key.lastIndexOf("\u0001") + 1) });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && hits.length < limit);
      return hits;
    },

    async commit(writes) {
      if (writes.length === 0) return;
      const items = planCommit(writes);
      if (items.length > MAX_TRANSACTION_ITEMS) {
        throw new StoreLimitError(
          RegistryErrorCode.tooManyWrites,
          `This change touches ${items.length} DynamoDB items; one atomic write holds at most ${MAX_TRANSACTION_ITEMS}`,
          { details: { items: items.length, entities: writes.length } },
        );
      }
      const bytes = items.reduce(
        (sum, i) => sum + (i.write.Put ? itemBytes(i.write.Put.Item as Record<string, unknown>) : 200),
        0,
      );
      if (bytes > MAX_TRANSACTION_BYTES) {
        throw new StoreLimitError(
          RegistryErrorCode.itemTooLarge,
          "This change is over DynamoDB's 4 MB transaction limit",
        );
      }
      // Every commit is a transaction, one item or many: the SDK's idempotency token makes a retry
      // after a lost response apply it once, and conflicts with concurrent transactions are retried.
      try {
        await transactWrite(doc, items, {
          maxAttempts: COMMIT_ATTEMPTS,
          onConflict: (attempts) =>
            new ConflictError(`The commit kept conflicting with concurrent writes (${attempts} attempts)`),
        });
      } catch (error) {
        throw mapDynamoError("commit", error);
      }
    },

    async getJob(organisation, id) {
      const { Item } = await send("GetItem", () =>
        doc.send(
          new GetCommand({
            TableName,
            Key: { pk: keys.org(organisation), sk: keys.job(id) },
            ConsistentRead: true,
          }),
        ),
      );
      return Item ? (JSON.parse(Item.doc as string) as JobRecord) : null;
    },
    async saveJob(job, expectedVersion) {
      await putVersioned(
        { pk: keys.org(job.organisation), sk: keys.job(job.id), version: job.version, doc: job },
        expectedVersion,
        (cause) => new ConflictError(`Job ${job.id} changed`, { expectedVersion, cause }),
      );
    },
  };
}
