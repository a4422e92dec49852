import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { deleteTables } from "@portside/adapters-aws/dynamodb";
import { createDynamoRegistryStore, createRegistryTable } from "@portside/adapters-aws/registry";
import type { StoredEntity } from "@portside/registry-core";
import {
  type ConformanceOptions,
  registryServiceConformance,
  registryStoreConformance,
} from "@portside/registry-core/testing";
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
let created: Promise<void> | undefined;

const options: ConformanceOptions = {
  async create() {
    created ??= createRegistryTable(client, tableName);
    await created;
    return createDynamoRegistryStore({ client, tableName });
  },
  backdoor: () => ({
    async entity(organisation, id) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: `O#${organisation}#E#${id}` }, sk: { S: "#E" } },
        }),
      );
      return Item?.doc?.S ? (JSON.parse(Item.doc.S) as StoredEntity) : null;
    },
  }),
  propertyRuns: 8,
};

registryStoreConformance("dynamodb", options);
registryServiceConformance("dynamodb", options);

it("served every search and link lookup without a Scan", () => {
  expect(commands.length).toBeGreaterThan(100);
  expect(commands).toContain("QueryCommand");
  expect(commands.filter((c) => c.startsWith("Scan"))).toEqual([]);
});

afterAll(() => deleteTables(client, [tableName]));
