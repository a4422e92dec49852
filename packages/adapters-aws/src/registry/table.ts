import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTables, type TableDefinition } from "../dynamodb/create-tables.js";

/** Attribute and index names of the `<prefix>-registry` table. */
export const REGISTRY_TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Types' entity lists, every indexed field, and incoming edges. */
  index: "gsi1",
  indexPartitionKey: "gsi1pk",
  indexSortKey: "gsi1sk",
} as const;

export function registryTableDefinition(tableName: string): TableDefinition {
  const t = REGISTRY_TABLE;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: t.partitionKey, AttributeType: "S" },
      { AttributeName: t.sortKey, AttributeType: "S" },
      { AttributeName: t.indexPartitionKey, AttributeType: "S" },
      { AttributeName: t.indexSortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: t.partitionKey, KeyType: "HASH" },
      { AttributeName: t.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: t.index,
        KeySchema: [
          { AttributeName: t.indexPartitionKey, KeyType: "HASH" },
          { AttributeName: t.indexSortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}

/** Creates the registry table (for local use and tests) if missing and waits until it is ACTIVE. */
export async function createRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTables(client, [registryTableDefinition(tableName)]);
}
