// The shared DynamoDB helpers keep their promises on dynoxide, plain and under every fault profile.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  AwsAdapterError,
  batchGetAll,
  batchWriteAll,
  createDocumentClient,
  createTables,
  deleteTables,
  queryAll,
  scanAll,
  transactWrite,
  updateOnce,
} from "@portside/adapters-aws/dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  awsClientConfig,
  type FaultProfile,
  faultProfiles,
  faultyDynamoClient,
  uniqueName,
  withDynamoFaults,
} from "#test-support";
import { keyTableDefinition } from "../../src/dynamodb/key-table.js";

const profiles: FaultProfile[] = [{ name: "no faults", options: {} }, ...faultProfiles];

class DomainConflict extends Error {}

for (const profile of profiles) {
  describe(`DynamoDB helpers (${profile.name})`, () => {
    const { client, counts } = faultyDynamoClient({ ...profile.options, seed: 7 });
    const doc = createDocumentClient(client);
    const table = uniqueName("helpers");

    beforeAll(() =>
      createTables(client, [
        keyTableDefinition(table, { partitionKey: "pk", sortKey: "sk" }, [
          { name: "byOwner", partitionKey: "owner", sortKey: "sk" },
        ]),
      ]),
    );
    afterAll(() => deleteTables(client, [table]));

    it("writes, reads back and deletes a batch bigger than one request, none dropped", async () => {
      const items = Array.from({ length: 60 }, (_, i) => ({
        pk: "batch",
        sk: String(i).padStart(3, "0"),
        n: i,
      }));
      await batchWriteAll(
        doc,
        table,
        items.map((Item) => ({ PutRequest: { Item } })),
      );
      const keys = items.map(({ pk, sk }) => ({ pk, sk }));
      const read = await batchGetAll(doc, table, [...keys, ...keys.slice(0, 10)], { consistentRead: true });
      expect(read.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(items.map((i) => i.n));

      await batchWriteAll(
        doc,
        table,
        keys.map((Key) => ({ DeleteRequest: { Key } })),
      );
      expect(await batchGetAll(doc, table, keys, { consistentRead: true })).toEqual([]);
    });

    it("queries and scans every page, whatever the page size", async () => {
      const items = Array.from({ length: 23 }, (_, i) => ({ pk: "pages", sk: String(i).padStart(3, "0") }));
      await batchWriteAll(
        doc,
        table,
        items.map((Item) => ({ PutRequest: { Item } })),
      );
      const queried = await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "pages" },
        Limit: 5,
      });
      expect(queried.map((i) => i.sk)).toEqual(items.map((i) => i.sk));
      const firstSeven = await queryAll(
        doc,
        {
          TableName: table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "pages" },
          Limit: 5,
        },
        { limit: 7 },
      );
      expect(firstSeven.map((i) => i.sk)).toEqual(items.slice(0, 7).map((i) => i.sk));
      const scanned = await scanAll(doc, {
        TableName: table,
        FilterExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "pages" },
        Limit: 4,
        ConsistentRead: true,
      });
      expect(scanned).toHaveLength(23);
    });

    it("counts 20 concurrent transactional increments exactly once each", async () => {
      const key = { pk: "counter", sk: randomUUID() };
      await doc.send(new PutCommand({ TableName: table, Item: { ...key, n: 0 } }));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          transactWrite(
            doc,
            [
              {
                write: {
                  Update: {
                    TableName: table,
                    Key: key,
                    UpdateExpression: "ADD n :one",
                    ExpressionAttributeValues: { ":one": 1 },
                  },
                },
              },
              {
                write: {
                  Put: {
                    TableName: table,
                    Item: { pk: "counter-log", sk: `${key.sk}#${i}` },
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
                onConditionFailed: () => new DomainConflict(`increment ${i} logged twice`),
              },
            ],
            {
              onConflict: (n) => new DomainConflict(`increment ${i} conflicted ${n} times`),
              maxAttempts: 20,
            },
          ),
        ),
      );
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      expect(Item?.n).toBe(20);
    });

    it("throws the failing item's own error, wherever it sits in the transaction", async () => {
      const taken = { pk: "taken", sk: randomUUID() };
      await doc.send(new PutCommand({ TableName: table, Item: { ...taken, owner: "ann" } }));
      const free = () => ({
        write: { Put: { TableName: table, Item: { pk: "free", sk: randomUUID() } } },
        onConditionFailed: () => new DomainConflict("the free item"),
      });
      const clash = {
        write: {
          Put: {
            TableName: table,
            Item: taken,
            ConditionExpression: "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
          },
        },
        onConditionFailed: (current?: Record<string, unknown>) =>
          new DomainConflict(`code taken by ${String(current?.owner)}`),
      };
      const options = { onConflict: () => new DomainConflict("conflict"), maxAttempts: 20 };
      await expect(transactWrite(doc, [clash, free()], options)).rejects.toThrow("code taken by ann");
      await expect(transactWrite(doc, [free(), free(), clash], options)).rejects.toThrow("code taken by ann");
      await expect(
        transactWrite(
          doc,
          [free(), { ...clash, onConditionFailed: undefined, describe: "the code" }],
          options,
        ),
      ).rejects.toMatchObject({
        code: "DYNAMODB_CONDITION_FAILED",
        message: expect.stringContaining("the code"),
      });
    });

    it("reports an update whose condition it changed itself as done, and a real conflict as a conflict", async () => {
      const key = { pk: "doc", sk: randomUUID() };
      await doc.send(new PutCommand({ TableName: table, Item: { ...key, revision: 1 } }));
      const update = (expected: number) => {
        const token = randomUUID();
        return updateOnce(
          doc,
          {
            TableName: table,
            Key: key,
            UpdateExpression: "SET revision = :next, writeToken = :wt",
            ConditionExpression: "revision = :expected",
            ExpressionAttributeValues: { ":next": expected + 1, ":expected": expected, ":wt": token },
          },
          { token },
        );
      };
      for (let revision = 1; revision <= 10; revision++) {
        expect((await update(revision)).revision).toBe(revision + 1);
      }
      await expect(update(3)).rejects.toMatchObject({ name: "ConditionalCheckFailedException" });
    });

    it("finds a write through the index once the index has caught up", async () => {
      const owner = randomUUID();
      await doc.send(new PutCommand({ TableName: table, Item: { pk: "owned", sk: owner, owner } }));
      const byOwner = () =>
        queryAll(doc, {
          TableName: table,
          IndexName: "byOwner",
          KeyConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": owner },
        });
      await vi.waitFor(async () => expect(await byOwner()).toEqual([{ pk: "owned", sk: owner, owner }]), {
        timeout: 5_000,
        interval: 50,
      });
    });

    if (profile.name !== "no faults") {
      it("ran with its faults injected", () => {
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      });
    }
  });
}

describe("the helpers under faults they cannot outlast", () => {
  let client: DynamoDBClient;
  const table = uniqueName("helpers-fail");
  beforeAll(async () => {
    ({ client } = faultyDynamoClient({ unprocessedRate: 1, transactionConflictRate: 1 }));
    await createTables(client, [keyTableDefinition(table, { partitionKey: "pk", sortKey: "sk" })]);
  });
  afterAll(() => deleteTables(client, [table]));

  it("a batch that cannot finish fails loudly, naming how much is left", async () => {
    const doc = createDocumentClient(client);
    const writes = Array.from({ length: 25 }, (_, i) => ({
      PutRequest: { Item: { pk: "x", sk: String(i) } },
    }));
    const failure = batchWriteAll(doc, table, writes, { maxAttempts: 3, baseDelayMs: 1 });
    await expect(failure).rejects.toBeInstanceOf(AwsAdapterError);
    await expect(failure).rejects.toMatchObject({
      code: "DYNAMODB_BATCH_INCOMPLETE",
      message: expect.stringMatching(/22 of 25 items still unprocessed after 3 attempts/),
    });
  });

  it("a transaction that keeps conflicting ends in the caller's conflict error, cause kept", async () => {
    const doc = createDocumentClient(client);
    const failure = transactWrite(
      doc,
      [{ write: { Put: { TableName: table, Item: { pk: "y", sk: "1" } } } }],
      {
        onConflict: (attempts) => new DomainConflict(`still conflicting after ${attempts} attempts`),
        maxAttempts: 3,
        baseDelayMs: 1,
      },
    );
    await expect(failure).rejects.toThrow("still conflicting after 3 attempts");
    await expect(failure).rejects.toMatchObject({ cause: { name: "TransactionCanceledException" } });
  });

  it("a transaction throttled past its retries fails with the throttling error, not a conflict", async () => {
    const sdkWithoutRetries = new DynamoDBClient({ ...awsClientConfig("dynamodb"), maxAttempts: 1 });
    const doc = createDocumentClient(withDynamoFaults(sdkWithoutRetries, { throttleRate: 1 }).client);
    const failure = transactWrite(
      doc,
      [{ write: { Put: { TableName: table, Item: { pk: "z", sk: "1" } } } }],
      {
        onConflict: () => new DomainConflict("conflict"),
        maxAttempts: 3,
        baseDelayMs: 1,
      },
    );
    await expect(failure).rejects.toMatchObject({
      name: expect.stringMatching(/^(ThrottlingException|ProvisionedThroughputExceededException)$/),
    });
  });
});
