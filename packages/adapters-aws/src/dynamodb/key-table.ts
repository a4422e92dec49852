import type { TableDefinition } from "./create-tables.js";

export interface KeyIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection?: "ALL" | "KEYS_ONLY";
}

/**
 * An on-demand table keyed by a string partition key and string sort key, with string-keyed
 * global secondary indexes: the shape every Portside table has.
 */
export function keyTableDefinition(
  tableName: string,
  keys: { partitionKey: string; sortKey: string },
  indexes: readonly KeyIndex[] = [],
): TableDefinition {
  const attributes = [
    keys.partitionKey,
    keys.sortKey,
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const keySchema = (partitionKey: string, sortKey: string) => [
    { AttributeName: partitionKey, KeyType: "HASH" as const },
    { AttributeName: sortKey, KeyType: "RANGE" as const },
  ];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...new Set(attributes)].map((AttributeName) => ({
      AttributeName,
      AttributeType: "S",
    })),
    KeySchema: keySchema(keys.partitionKey, keys.sortKey),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: keySchema(i.partitionKey, i.sortKey),
            Projection: { ProjectionType: i.projection ?? "ALL" },
          })),
        }
      : {}),
  };
}
