import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { deleteTables } from "@portside/adapters-aws/dynamodb";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import { registryStoreConformance } from "@portside/registry-core/testing";
import { afterAll, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";

const client = new DynamoDBClient(awsClientConfig("dynamodb"));
const commands: string[] = [];
client.middlewareStack.add(
  (next, context) => (args) => {
    commands.push(String(context.commandName));
    return next(args);
  },
  { step: "initialize", name: "countCommands" },
);
/**
 * moto applies a transaction item by item without isolation, and restores a snapshot of the whole
 * table when one fails, which can undo another request's committed write. DynamoDB serializes
 * conflicting writes; on the emulator we give each write request the same atomicity by sending
 * writes one at a time. Writers still interleave their reads and retries as they would on AWS.
 */
const WRITES = new Set([
  "TransactWriteItemsCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
]);
let writeQueue: Promise<unknown> = Promise.resolve();
client.middlewareStack.add(
  (next, context) => (args) => {
    if (!WRITES.has(String(context.commandName))) return next(args);
    const result = writeQueue.then(() => next(args));
    writeQueue = result.catch(() => undefined);
    return result;
  },
  { step: "initialize", name: "atomicWritesOnEmulator" },
);
const tableName = uniqueName("conformance-registry");

registryStoreConformance("dynamodb", {
  async createStore() {
    await createRegistryTable(client, tableName);
    return createDynamoRegistryStore({ client, tableName });
  },
  propertyRuns: 8,
});

it("served every search and link lookup without a Scan", () => {
  expect(commands.length).toBeGreaterThan(100);
  expect(commands).toContain("QueryCommand");
  expect(commands.filter((c) => c.startsWith("Scan"))).toEqual([]);
});

afterAll(() => deleteTables(client, [tableName]));
