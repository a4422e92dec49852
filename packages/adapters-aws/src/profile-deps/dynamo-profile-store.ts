import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  decodeCursor,
  encodeCursor,
  type ListProfilesQuery,
  type Page,
  ParentProfileNotFoundError,
  type Profile,
  ProfileExistsError,
  ProfileNotFoundError,
  ProfileRevisionConflictError,
  type ProfileStore,
  type ProfileValidationState,
  pageSize,
  profileSchema,
} from "@portside/profile-deps";
import { cancellationCodes, isConditionalCheckFailed } from "../dynamodb/error-shapes.js";
import { storeFailure } from "./errors.js";
import { PROFILES_TABLE } from "./tables.js";

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
const KEY_ATTRIBUTES = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"] as const;
const VALIDATION_OPTIONAL = ["packages", "ephemerals", "failure", "error", "resolvedAt"] as const;
const TRANSACTION_RETRIES = 4;

/**
 * Profiles in DynamoDB: one item per revision (`pk` = name, `sk` = `REV#<n>`) and a copy
 * of the current one (`sk` = `CURRENT`, also in the `byName` index for listing). Writes are
 * transactions with conditions, so an optimistic update either lands whole or not at all.
 */
export function createDynamoProfileStore(options: DynamoProfileStoreOptions): ProfileStore {
  const TableName = options.tableName;
  const listIndex = options.listIndexName ?? PROFILES_TABLE.listIndex;
  const childrenIndex = options.childrenIndexName ?? PROFILES_TABLE.childrenIndex;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });

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

  /** Makes the write depend on the parent existing at that moment (a parent deleted meanwhile fails it). */
  const parentCheck = (profile: Profile) =>
    profile.parent === null
      ? []
      : [
          {
            ConditionCheck: {
              TableName,
              Key: { pk: profile.parent, sk: CURRENT },
              ConditionExpression: "attribute_exists(pk)",
            },
          },
        ];

  const readCurrent = async (name: string): Promise<Profile | undefined> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName, Key: { pk: name, sk: CURRENT }, ConsistentRead: true }),
    );
    return Item ? toProfile(Item) : undefined;
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

  return {
    async create(profile) {
      const record = profileSchema.parse(profile);
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: currentItem(record),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              // Unconditional: a revision left behind by an interrupted delete is replaced.
              { Put: { TableName, Item: revisionItem(record) } },
              ...parentCheck(record),
            ],
          }),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === "ConditionalCheckFailed") throw new ProfileExistsError(record.name);
        if (codes?.[2] === "ConditionalCheckFailed")
          throw new ParentProfileNotFoundError(record.name, record.parent!);
        throw storeFailure("create", error);
      }
    },

    async update(profile, expectedRevision) {
      const record = profileSchema.parse(profile);
      if (record.revision !== expectedRevision + 1) {
        throw new ProfileRevisionConflictError(record.name, expectedRevision, record.revision - 1);
      }
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: currentItem(record),
                  ConditionExpression: "revision = :expected",
                  ExpressionAttributeValues: { ":expected": expectedRevision },
                },
              },
              {
                Put: {
                  TableName,
                  Item: revisionItem(record),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              ...parentCheck(record),
            ],
          }),
        );
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[2] === "ConditionalCheckFailed" && codes[0] === "None") {
          throw new ParentProfileNotFoundError(record.name, record.parent!);
        }
        // A conflicting transaction is another writer getting there at the same time: a lost race, like a failed condition.
        if (!codes?.some((c) => c === "ConditionalCheckFailed" || c === "TransactionConflict")) {
          throw storeFailure("update", error);
        }
        const current = await readCurrent(record.name);
        if (!current) throw new ProfileNotFoundError(record.name);
        throw new ProfileRevisionConflictError(record.name, expectedRevision, current.revision);
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
      try {
        const { Items = [] } = await doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
            ExpressionAttributeValues: {
              ":pk": name,
              ":from": revisionKey(after + 1),
              ":to": revisionKey(9_999_999_999),
            },
            ConsistentRead: true,
            Limit: limit + 1,
          }),
        );
        const items = Items.slice(0, limit).map(toProfile);
        const page: Page<Profile> = { items };
        if (Items.length > limit) page.nextCursor = encodeCursor(items.at(-1)!.revision);
        return page;
      } catch (error) {
        throw storeFailure("listRevisions", error);
      }
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
      const transaction = () =>
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName,
                Key: { pk: name, sk: revisionKey(revision) },
                ...condition,
                ConditionExpression: "validationId = :expected",
              },
            },
            {
              Update: {
                TableName,
                Key: { pk: name, sk: CURRENT },
                ...condition,
                ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, "#revision": "revision" },
                ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ":revision": revision },
                ConditionExpression: "#revision = :revision AND validationId = :expected",
              },
            },
          ],
        });
      for (let attempt = 0; ; attempt++) {
        let codes: string[] | null;
        try {
          await doc.send(transaction());
          return true;
        } catch (error) {
          codes = cancellationCodes(error);
          if (codes === null) throw storeFailure("setValidation", error);
        }
        if (codes.includes("TransactionConflict")) {
          // Another write to the same items was in flight: try again, then let the caller retry.
          if (attempt >= TRANSACTION_RETRIES)
            throw storeFailure("setValidation", new Error("transaction conflict"));
          await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
          continue;
        }
        if (codes[0] === "ConditionalCheckFailed") return false;
        if (codes[1] === "ConditionalCheckFailed") break;
        throw storeFailure("setValidation", new Error(`transaction cancelled: ${codes.join(", ")}`));
      }
      // The revision matched but is no longer current: record the result on it alone.
      try {
        await doc.send(
          new UpdateCommand({
            TableName,
            Key: { pk: name, sk: revisionKey(revision) },
            ...condition,
            ConditionExpression: "validationId = :expected",
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw storeFailure("setValidation", error);
      }
    },

    async delete(name, expectedRevision) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName,
            Key: { pk: name, sk: CURRENT },
            ConditionExpression:
              expectedRevision === undefined
                ? "attribute_exists(pk)"
                : "attribute_exists(pk) AND revision = :expected",
            ...(expectedRevision === undefined
              ? {}
              : { ExpressionAttributeValues: { ":expected": expectedRevision } }),
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw storeFailure("delete", error);
        const current = await readCurrent(name);
        if (!current) throw new ProfileNotFoundError(name);
        throw new ProfileRevisionConflictError(name, expectedRevision ?? 0, current.revision);
      }
      try {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: "pk = :pk",
              ExpressionAttributeValues: { ":pk": name },
              ProjectionExpression: "pk, sk",
              ConsistentRead: true,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          const keys = (page.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk }));
          for (let i = 0; i < keys.length; i += 25) {
            let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
            for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
              const { UnprocessedItems } = await doc.send(
                new BatchWriteCommand({ RequestItems: { [TableName]: pending } }),
              );
              pending = (UnprocessedItems?.[TableName] ?? []) as typeof pending;
            }
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      } catch (error) {
        throw storeFailure("delete", error);
      }
    },
  };
}
