// The fault layer does what each profile says, so a suite that passes under it has met the fault.
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createTables, deleteTables, putOnce } from "@portside/adapters-aws/dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { faultyDynamoClient, uniqueName } from "#test-support";
import { keyTableDefinition } from "../../src/dynamodb/key-table.js";

const table = uniqueName("faults");
const setup = faultyDynamoClient({});
beforeAll(() =>
  createTables(setup.client, [
    keyTableDefinition(table, { partitionKey: "pk", sortKey: "sk" }, [
      { name: "byOwner", partitionKey: "owner", sortKey: "sk" },
    ]),
  ]),
);
afterAll(() => deleteTables(setup.client, [table]));

const byOwner = (owner: string) =>
  new QueryCommand({
    TableName: table,
    IndexName: "byOwner",
    KeyConditionExpression: "#owner = :owner",
    ExpressionAttributeNames: { "#owner": "owner" },
    ExpressionAttributeValues: { ":owner": owner },
  });

describe("fault layer", () => {
  it("lost response: the write is stored, yet a plain conditional put reports a failed condition", async () => {
    const doc = createDocumentClient(faultyDynamoClient({ lostResponseRate: 1 }).client);
    const key = { pk: "lost", sk: randomUUID() };
    const put = new PutCommand({
      TableName: table,
      Item: { ...key, v: 1 },
      ConditionExpression: "attribute_not_exists(pk)",
    });
    await expect(doc.send(put)).rejects.toMatchObject({ name: "ConditionalCheckFailedException" });
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    expect(Item).toEqual({ ...key, v: 1 });

    const token = randomUUID();
    const next = { pk: "lost", sk: randomUUID() };
    await putOnce(
      doc,
      {
        TableName: table,
        Item: { ...next, writeToken: token },
        ConditionExpression: "attribute_not_exists(pk)",
      },
      next,
      { token },
    );
  });

  it("throttling: the SDK's retries absorb one throttle per request", async () => {
    const { client, counts } = faultyDynamoClient({ throttleRate: 1 });
    const doc = createDocumentClient(client);
    const key = { pk: "throttled", sk: randomUUID() };
    await doc.send(new PutCommand({ TableName: table, Item: key }));
    expect((await doc.send(new GetCommand({ TableName: table, Key: key }))).Item).toEqual(key);
    expect(counts.throttles).toBe(2);
  });

  it("short pages: a Query without a Limit comes back a few items at a time", async () => {
    const { client, counts } = faultyDynamoClient({ queryPageSize: 2 });
    const doc = createDocumentClient(client);
    const pk = randomUUID();
    for (let i = 0; i < 5; i++)
      await doc.send(new PutCommand({ TableName: table, Item: { pk, sk: `${i}` } }));
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
      }),
    );
    expect(page.Items).toHaveLength(2);
    expect(page.LastEvaluatedKey).toEqual({ pk, sk: "1" });
    expect(counts.shortPages).toBe(1);
  });

  it("lagging index: index queries see the item as it was before recent writes; table reads do not", async () => {
    // Long enough that the reads right after a write fall inside it even on a loaded machine.
    const doc = createDocumentClient(faultyDynamoClient({ indexLagMs: 1_500 }).client);
    const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 5_000, interval: 100 });
    const [ann, bob] = [randomUUID(), randomUUID()];
    const key = { pk: "lag", sk: randomUUID() };
    await doc.send(new PutCommand({ TableName: table, Item: { ...key, owner: ann } }));
    expect((await doc.send(byOwner(ann))).Items).toEqual([]);
    await eventually(async () =>
      expect((await doc.send(byOwner(ann))).Items).toEqual([{ ...key, owner: ann }]),
    );

    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: "SET #owner = :bob",
        ExpressionAttributeNames: { "#owner": "owner" },
        ExpressionAttributeValues: { ":bob": bob },
      }),
    );
    expect((await doc.send(byOwner(ann))).Items).toEqual([{ ...key, owner: ann }]);
    expect((await doc.send(byOwner(bob))).Items).toEqual([]);
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    expect(Item).toEqual({ ...key, owner: bob });
    await eventually(async () => {
      expect((await doc.send(byOwner(ann))).Items).toEqual([]);
      expect((await doc.send(byOwner(bob))).Items).toEqual([{ ...key, owner: bob }]);
    });
  });

  it("lagging index: indexes left out of laggingIndexes answer at once", async () => {
    const doc = createDocumentClient(
      faultyDynamoClient({ indexLagMs: 400, laggingIndexes: ["byTag"] }).client,
    );
    const owner = randomUUID();
    const item = { pk: "prompt", sk: randomUUID(), owner };
    await doc.send(new PutCommand({ TableName: table, Item: item }));
    expect((await doc.send(byOwner(owner))).Items).toEqual([item]);
  });

  it("is deterministic: the same seed makes the same decisions", async () => {
    const run = async (seed: number) => {
      const { client, counts } = faultyDynamoClient({ seed, throttleRate: 0.3, lostResponseRate: 0.3 });
      const doc = createDocumentClient(client);
      for (let i = 0; i < 20; i++) {
        await doc.send(new PutCommand({ TableName: table, Item: { pk: "seed", sk: `${seed}-${i}` } }));
      }
      return counts;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first.throttles + first.lostResponses).toBeGreaterThan(0);
  });
});
