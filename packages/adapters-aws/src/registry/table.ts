import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTables, type TableDefinition } from "../dynamodb/create-tables.js";
import { keyTableDefinition } from "../dynamodb/key-table.js";

/** Attribute and index names of the `<prefix>-registry` table. */
export const REGISTRY_TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Types' entity lists, every indexed field, and incoming edges. */
  index: "gsi1",
  indexPartitionKey: "gsi1pk",
  indexSortKey: "gsi1sk",
} as const;

/** The `CreateTable` input of the registry table, for `createTables` in local use and tests. */
export function registryTableDefinition(tableName: string): TableDefinition {
  const t = REGISTRY_TABLE;
  return keyTableDefinition(tableName, t, [
    { name: t.index, partitionKey: t.indexPartitionKey, sortKey: t.indexSortKey, projection: "KEYS_ONLY" },
  ]);
}

/** Creates the registry table (for local use and tests) if missing and waits until it is ACTIVE. */
export async function createRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTables(client, [registryTableDefinition(tableName)]);
}
