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
