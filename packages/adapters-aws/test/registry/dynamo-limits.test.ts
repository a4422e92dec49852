import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { deleteTables } from "@portside/adapters-aws/dynamodb";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import {
  ConflictError,
  createRegistryService,
  type RegistryStore,
  StoreLimitError,
} from "@portside/registry-core";
import { actors } from "@portside/registry-core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const raw = DynamoDBDocumentClient.from(client);
const tableName = uniqueName("registry-limits");
let store: RegistryStore;
const { admin, writer } = actors("limits");
const registry = () => createRegistryService({ store });

beforeAll(async () => {
  await createRegistryTable(client, tableName);
  store = createDynamoRegistryStore({ client, tableName });
  const r = registry();
  await r.createType(admin, {
    name: "doc",
    fields: [
      { name: "body", type: "text" },
      { name: "title", type: "string", indexed: true },
    ],
  });
  await r.createType(admin, {
    name: "bag",
    fields: [
      { name: "items", type: "link", link: { target: "doc", cardinality: "many", onDelete: "unlink" } },
    ],
  });
});
afterAll(() => deleteTables(client, [tableName]));

describe("DynamoDB registry store limits", () => {
  it("refuses an entity over the 400 KB item limit with a clear error, writing nothing", async () => {
    const error = await registry()
      .createEntity(writer, "doc", { id: "big", data: { title: "big", body: "x".repeat(420 * 1024) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLimitError);
    expect((error as StoreLimitError).code).toBe("ITEM_TOO_LARGE");
    expect((error as Error).message).toMatch(/400 KB/);
    expect(await store.getEntity("limits", "big")).toBeNull();
  });

  it("refuses a change needing more than one transaction's items", async () => {
    const r = registry();
    const ids: string[] = [];
    for (let i = 0; i < 101; i++)
      ids.push((await r.createEntity(writer, "doc", { data: { title: `d${i}` } })).id);
    const error = await r.createEntity(writer, "bag", { data: { items: ids } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLimitError);
    expect((error as StoreLimitError).code).toBe("TOO_MANY_WRITES");
  });

  it("keeps tenancy in the keys and counts incoming links on the target item", async () => {
    const r = registry();
    const d = await r.createEntity(writer, "doc", { data: { title: "target" } });
    await r.createEntity(writer, "bag", { data: { items: [d.id] } });
    const { Item } = await raw.send(
      new GetCommand({ TableName: tableName, Key: { pk: `O#limits#E#${d.id}`, sk: "#E" } }),
    );
    expect(Item?.inbound).toBe(1);
    const { Items } = await raw.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `O#limits#IN#${d.id}` },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it("refuses a delete that raced with a new link to the entity", async () => {
    const r = registry();
    const d = await r.createEntity(writer, "doc", { data: { title: "raced" } });
    const stale = (await store.getEntity("limits", d.id))!;
    await r.createEntity(writer, "bag", { data: { items: [d.id] } });
    const error = await store.commit([{ op: "delete", entity: stale }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(await store.getEntity("limits", d.id)).not.toBeNull();
  });
});
