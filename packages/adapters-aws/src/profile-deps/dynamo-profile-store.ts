import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import {
  decodeCursor,
  encodeCursor,
  type ListProfilesQuery,
  type Page,
  ParentProfileNotFoundError,
  type Profile,
  ProfileDepsError,
  ProfileExistsError,
  ProfileHasChildrenError,
  ProfileNotFoundError,
  ProfileRevisionConflictError,
  type ProfileStore,
  ProfileStoreError,
  type ProfileValidationState,
  pageSize,
  profileSchema,
} from "@portside/profile-deps";
import { createDocumentClient } from "../dynamodb/document-client.js";
import { isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import { queryPages } from "../dynamodb/paginate.js";
import { type TransactionItem, transactWrite } from "../dynamodb/transact.js";
import { updateOnce, WRITE_TOKEN_ATTRIBUTE } from "../dynamodb/write-once.js";
import { storeFailure } from "./errors.js";
import { PROFILES_TABLE } from "./tables.js";

/** Options of `createDynamoProfileStore`: the client and the profiles table. */
export interface DynamoProfileStoreOptions {
  client: DynamoDBClient;
  /** `<prefix>-profiles`: see `tableName(prefix, "profiles")`. */
  tableName: string;
  /** Name of the listing index (default `byName`, as `profilesTableDefinition` creates it). */
  listIndexName?: string;
  /** Name of the children index (default `byParent`). */
  childrenIndexName?: string;
}

const CURRENT = "CURRENT";
const LIST_PARTITION = "PROFILE";
const revisionKey = (revision: number) => `REV#${String(revision).padStart(10, "0")}`;
const KEY_ATTRIBUTES = [
  "pk",
  "sk",
  "gsi1pk",
  "gsi1sk",
  "gsi2pk",
  "gsi2sk",
  "childCount",
  "writeToken",
] as const;
const VALIDATION_OPTIONAL = ["packages", "ephemerals", "failure", "error", "resolvedAt"] as const;
const TRANSACTION_RETRIES = 4;

/** A validation's id is no longer the one expected: it was superseded. */
class StaleValidation extends Error {}

/** A profile's child count changed between reading it and writing it: read again and retry. */
class ChildCountChanged extends Error {}

/** Domain errors pass through; anything else becomes a `ProfileStoreError` for the operation. */
const rethrowAs =
  (operation: string) =>
  (error: unknown): never => {
    if (error instanceof ProfileDepsError) throw error;
    throw storeFailure(operation, error);
  };

/**
 * Profiles in DynamoDB: one item per revision (`pk` = name, `sk` = `REV#<n>`) and a copy
 * of the current one (`sk` = `CURRENT`, also in the `byName` index for listing). Writes are
 * transactions with conditions, so an optimistic update either lands whole or not at all.
 * A delete removes `CURRENT` and writes the tombstone revision in one transaction. The
 * current item counts the profile's children (`childCount`): a child's create, re-parenting
 * and delete change it in their own transactions, and a delete requires it to be 0, so a
 * parent delete and a child create cannot both succeed. No decision reads an index
 * (indexes are eventually consistent); listing does, and may lag a write.
 */
export function createDynamoProfileStore(options: DynamoProfileStoreOptions): ProfileStore {
  const TableName = options.tableName;
  const listIndex = options.listIndexName ?? PROFILES_TABLE.listIndex;
  const childrenIndex = options.childrenIndexName ?? PROFILES_TABLE.childrenIndex;
  const doc = createDocumentClient(options.client);

  const toProfile = (item: Record<string, unknown>): Profile => {
    const rest: Record<string, unknown> = { ...item };
    for (const key of KEY_ATTRIBUTES) delete rest[key];
    const parsed = profileSchema.safeParse(rest);
    if (!parsed.success)
      throw storeFailure(
        "read",
        new Error(`malformed profile item ${item.pk}/${item.sk}: ${parsed.error.message}`),
      );
    return parsed.data;
  };

  const currentItem = (profile: Profile) => ({
    ...profile,
    pk: profile.name,
    sk: CURRENT,
    gsi1pk: LIST_PARTITION,
    gsi1sk: profile.name,
    ...(profile.parent === null ? {} : { gsi2pk: profile.parent, gsi2sk: profile.name }),
  });
  const revisionItem = (profile: Profile) => ({
    ...profile,
    pk: profile.name,
    sk: revisionKey(profile.revision),
  });

  const readCurrentItem = async (name: string): Promise<Record<string, unknown> | undefined> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName, Key: { pk: name, sk: CURRENT }, ConsistentRead: true }),
    );
    return Item;
  };
  const readCurrent = async (name: string): Promise<Profile | undefined> => {
    const item = await readCurrentItem(name);
    return item ? toProfile(item) : undefined;
  };

  const validationUpdate = (state: ProfileValidationState) => {
    const names: Record<string, string> = { "#status": "status" };
    const values: Record<string, unknown> = {
      ":validationId": state.validationId,
      ":effectiveRequest": state.effectiveRequest,
      ":status": state.status,
    };
    const set = ["validationId = :validationId", "effectiveRequest = :effectiveRequest", "#status = :status"];
    const remove: string[] = [];
    for (const field of VALIDATION_OPTIONAL) {
      names[`#${field}`] = field;
      if (state[field] === undefined) remove.push(`#${field}`);
      else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = state[field];
      }
    }
    return {
      UpdateExpression: `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  };

  /** The last revision stored under a name, tombstones included (0 for a name never used). */
  const lastRevision = async (name: string): Promise<number> => {
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :rev)",
        ExpressionAttributeValues: { ":pk": name, ":rev": "REV#" },
        ProjectionExpression: "revision",
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Number(Items[0]?.revision ?? 0);
  };

  /** Counts a child on its parent's current item, which must exist: a parent delete checks the count. */
  const countChild = (profile: Profile, delta: 1 | -1): TransactionItem => ({
    write: {
      Update: {
        TableName,
        Key: { pk: profile.parent, sk: CURRENT },
        UpdateExpression: "ADD childCount :delta",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":delta": delta },
      },
    },
    onConditionFailed: () => new ParentProfileNotFoundError(profile.name, profile.parent!),
  });

  const conflictAfter = (operation: string, name: string) => (attempts: number) =>
    new ProfileStoreError(
      `${operation} ${name} kept conflicting with concurrent writes to it (${attempts} attempts); try again`,
    );

  const store: ProfileStore = {
    async create(profile) {
      const revision = (await lastRevision(profile.name)) + 1;
      const record = profileSchema.parse({ ...profile, revision });
      const exists = () => new ProfileExistsError(record.name);
      await transactWrite(
        doc,
        [
          {
            write: {
              Put: { TableName, Item: currentItem(record), ConditionExpression: "attribute_not_exists(pk)" },
            },
            onConditionFailed: exists,
          },
          {
            // Another create of this name took this revision number first.
            write: {
              Put: { TableName, Item: revisionItem(record), ConditionExpression: "attribute_not_exists(pk)" },
            },
            onConditionFailed: exists,
          },
          ...(record.parent === null ? [] : [countChild(record, 1)]),
        ],
        { onConflict: conflictAfter("Creating", record.name) },
      ).catch(rethrowAs("create"));
      return record;
    },

    async update(profile, expectedRevision) {
      const record = profileSchema.parse(profile);
      for (let attempt = 1; ; attempt++) {
        const stored = await readCurrentItem(record.name);
        if (!stored) throw new ProfileNotFoundError(record.name);
        const current = toProfile(stored);
        if (current.revision !== expectedRevision || record.revision !== expectedRevision + 1) {
          throw new ProfileRevisionConflictError(record.name, expectedRevision, current.revision);
        }
        const childCount = Number(stored.childCount ?? 0);
        const parentItems: TransactionItem[] = [];
        if (current.parent !== record.parent) {
          if (current.parent !== null) parentItems.push(countChild(current, -1));
          if (record.parent !== null) parentItems.push(countChild(record, 1));
        } else if (record.parent !== null) {
          parentItems.push({
            write: {
              ConditionCheck: {
                TableName,
                Key: { pk: record.parent, sk: CURRENT },
                ConditionExpression: "attribute_exists(pk)",
              },
            },
            onConditionFailed: () => new ParentProfileNotFoundError(record.name, record.parent!),
          });
        }
        try {
          await transactWrite(
            doc,
            [
              {
                write: {
                  Put: {
                    TableName,
                    // The child count is the profile's children's to change: carried over, and checked unchanged.
                    Item: { ...currentItem(record), childCount },
                    ConditionExpression:
                      "revision = :expected AND (childCount = :children OR attribute_not_exists(childCount))",
                    ExpressionAttributeValues: { ":expected": expectedRevision, ":children": childCount },
                    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                  },
                },
                onConditionFailed: (now) =>
                  !now
                    ? new ProfileNotFoundError(record.name)
                    : Number(now.revision) !== expectedRevision
                      ? new ProfileRevisionConflictError(record.name, expectedRevision, Number(now.revision))
                      : new ChildCountChanged(),
              },
              {
                write: {
                  Put: {
                    TableName,
                    Item: revisionItem(record),
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
                onConditionFailed: () =>
                  new ProfileRevisionConflictError(record.name, expectedRevision, expectedRevision + 1),
              },
              ...parentItems,
            ],
            { onConflict: conflictAfter("Updating", record.name) },
          );
          return;
        } catch (error) {
          if (error instanceof ChildCountChanged && attempt < TRANSACTION_RETRIES) continue;
          rethrowAs("update")(error);
        }
      }
    },

    async get(name) {
      try {
        return await readCurrent(name);
      } catch (error) {
        throw storeFailure("get", error);
      }
    },

    async getRevision(name, revision) {
      try {
        const { Item } = await doc.send(
          new GetCommand({ TableName, Key: { pk: name, sk: revisionKey(revision) }, ConsistentRead: true }),
        );
        return Item ? toProfile(Item) : undefined;
      } catch (error) {
        throw storeFailure("getRevision", error);
      }
    },

    async listRevisions(name, query = {}) {
      const limit = pageSize(query.limit);
      const after = Number(decodeCursor(query.cursor) ?? 0) || 0;
      const found: Profile[] = [];
      try {
        // A page can end early (1 MB, or short pages): follow LastEvaluatedKey until one item past the limit.
        for await (const page of queryPages(doc, {
          TableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": name,
            ":from": revisionKey(after + 1),
            ":to": revisionKey(9_999_999_999),
          },
          ConsistentRead: true,
          Limit: limit + 1,
        })) {
          found.push(...page.items.map(toProfile));
          if (found.length > limit) break;
        }
      } catch (error) {
        throw storeFailure("listRevisions", error);
      }
      const items = found.slice(0, limit);
      const result: Page<Profile> = { items };
      if (found.length > limit) result.nextCursor = encodeCursor(items.at(-1)!.revision);
      return result;
    },

    async list(query: ListProfilesQuery = {}) {
      const limit = pageSize(query.limit);
      const after = decodeCursor(query.cursor);
      // Children of one parent come from their own index; everything else from the listing index.
      const byParent = query.parent !== undefined;
      const IndexName = byParent ? childrenIndex : listIndex;
      const [partitionKey, sortKey] = byParent ? ["gsi2pk", "gsi2sk"] : ["gsi1pk", "gsi1sk"];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ":partition": byParent ? query.parent : LIST_PARTITION };
      const filters: string[] = [];
      if (query.tag !== undefined) {
        filters.push("contains(tags, :tag)");
        values[":tag"] = query.tag;
      }
      if (query.status !== undefined) {
        names["#status"] = "status";
        filters.push("#status = :status");
        values[":status"] = query.status;
      }
      let keyCondition = `${partitionKey} = :partition`;
      if (after !== undefined) {
        keyCondition += ` AND ${sortKey} > :after`;
        values[":after"] = after;
      }
      const found: Profile[] = [];
      let startKey: Record<string, unknown> | undefined;
      try {
        do {
          const input: QueryCommandInput = {
            TableName,
            IndexName,
            KeyConditionExpression: keyCondition,
            ExpressionAttributeValues: values,
            Limit: Math.max(limit + 1, 25),
          };
          if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
          if (filters.length > 0) input.FilterExpression = filters.join(" AND ");
          if (startKey) input.ExclusiveStartKey = startKey;
          const { Items = [], LastEvaluatedKey } = await doc.send(new QueryCommand(input));
          found.push(...Items.map(toProfile));
          startKey = LastEvaluatedKey;
        } while (startKey && found.length <= limit);
      } catch (error) {
        throw storeFailure("list", error);
      }
      const items = found.slice(0, limit);
      const page: Page<Profile> = { items };
      if (found.length > limit || (startKey && items.length === limit))
        page.nextCursor = encodeCursor(items.at(-1)!.name);
      return page;
    },

    async setValidation(name, revision, expectedValidationId, state) {
      const update = validationUpdate(state);
      const condition = {
        ...update,
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":expected": expectedValidationId },
      };
      const staleRevision = new StaleValidation();
      const notCurrent = new StaleValidation();
      try {
        await transactWrite(
          doc,
          [
            {
              write: {
                Update: {
                  TableName,
                  Key: { pk: name, sk: revisionKey(revision) },
                  ...condition,
                  ConditionExpression: "validationId = :expected",
                },
              },
              onConditionFailed: () => staleRevision,
            },
            {
              write: {
                Update: {
                  TableName,
                  Key: { pk: name, sk: CURRENT },
                  ...condition,
                  ExpressionAttributeNames: {
                    ...condition.ExpressionAttributeNames,
                    "#revision": "revision",
                  },
                  ExpressionAttributeValues: {
                    ...condition.ExpressionAttributeValues,
                    ":revision": revision,
                  },
                  ConditionExpression: "#revision = :revision AND validationId = :expected",
                },
              },
              onConditionFailed: () => notCurrent,
            },
          ],
          { onConflict: conflictAfter("Recording the validation of", name) },
        );
        return true;
      } catch (error) {
        if (error === staleRevision) return false;
        if (error !== notCurrent) rethrowAs("setValidation")(error);
      }
      // The revision matched but is no longer current: record the result on it alone. A token on the
      // item tells a retry after a lost response (which fails the condition) that the write was ours.
      const token = randomUUID();
      try {
        await updateOnce(
          doc,
          {
            TableName,
            Key: { pk: name, sk: revisionKey(revision) },
            ...condition,
            UpdateExpression: condition.UpdateExpression.replace(/^SET /, "SET #writeToken = :writeToken, "),
            ExpressionAttributeNames: {
              ...condition.ExpressionAttributeNames,
              "#writeToken": WRITE_TOKEN_ATTRIBUTE,
            },
            ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ":writeToken": token },
            ConditionExpression: "validationId = :expected",
          },
          { token },
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw storeFailure("setValidation", error);
      }
    },

    async delete(name, expectedRevision, stamp) {
      const stored = await readCurrentItem(name).catch(rethrowAs("delete"));
      if (!stored) throw new ProfileNotFoundError(name);
      const current = toProfile(stored);
      if (expectedRevision !== undefined && current.revision !== expectedRevision) {
        throw new ProfileRevisionConflictError(name, expectedRevision, current.revision);
      }
      const tombstone = profileSchema.parse({
        ...current,
        ...stamp,
        revision: current.revision + 1,
        deleted: true,
      });
      await transactWrite(
        doc,
        [
          {
            write: {
              Delete: {
                TableName,
                Key: { pk: name, sk: CURRENT },
                // No child may have been created since the caller looked: they count themselves here.
                ConditionExpression:
                  "revision = :revision AND (attribute_not_exists(childCount) OR childCount = :none)",
                ExpressionAttributeValues: { ":revision": current.revision, ":none": 0 },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            onConditionFailed: (now) =>
              !now
                ? new ProfileNotFoundError(name)
                : Number(now.revision) !== current.revision
                  ? new ProfileRevisionConflictError(
                      name,
                      expectedRevision ?? current.revision,
                      Number(now.revision),
                    )
                  : new ProfileHasChildrenError(name, []),
          },
          {
            write: {
              Put: {
                TableName,
                Item: revisionItem(tombstone),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            onConditionFailed: () =>
              new ProfileRevisionConflictError(
                name,
                expectedRevision ?? current.revision,
                current.revision + 1,
              ),
          },
          ...(current.parent === null ? [] : [countChild(current, -1)]),
        ],
        { onConflict: conflictAfter("Deleting", name) },
      ).catch(async (error: unknown) => {
        if (error instanceof ProfileHasChildrenError) {
          const children = await store.list({ parent: name, limit: 20 }).catch(() => ({ items: [] }));
          throw new ProfileHasChildrenError(
            name,
            children.items.map((c) => c.name),
          );
        }
        rethrowAs("delete")(error);
      });
    },
  };
  return store;
}
