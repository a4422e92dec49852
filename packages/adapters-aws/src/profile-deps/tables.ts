import type { TableDefinition } from "../dynamodb/create-tables.js";
import { PortsideTable, tableName } from "../dynamodb/table-names.js";

/** Keys and index of the `<prefix>-profiles` table. */
export const PROFILES_TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Holds every profile's current revision, sorted by name, for listing. */
  listIndex: "byName",
  listPartitionKey: "gsi1pk",
  listSortKey: "gsi1sk",
  /** Holds the current revision of every profile that has a parent, by parent then name. */
  childrenIndex: "byParent",
  childrenPartitionKey: "gsi2pk",
  childrenSortKey: "gsi2sk",
} as const;

/** Keys of the `<prefix>-packages` table: the family, and the version in canonical form. */
export const PACKAGES_TABLE = { partitionKey: "family", sortKey: "sk" } as const;

/** Definitions of the profile-deps tables for `createTables`, named from the prefix. */
export function profileDepsTableDefinitions(prefix: string): TableDefinition[] {
  return [
    profilesTableDefinition(tableName(prefix, PortsideTable.profiles)),
    packagesTableDefinition(tableName(prefix, PortsideTable.packages)),
  ];
}

export function profilesTableDefinition(name: string): TableDefinition {
  const t = PROFILES_TABLE;
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: t.partitionKey, AttributeType: "S" },
      { AttributeName: t.sortKey, AttributeType: "S" },
      { AttributeName: t.listPartitionKey, AttributeType: "S" },
      { AttributeName: t.listSortKey, AttributeType: "S" },
      { AttributeName: t.childrenPartitionKey, AttributeType: "S" },
      { AttributeName: t.childrenSortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: t.partitionKey, KeyType: "HASH" },
      { AttributeName: t.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: t.listIndex,
        KeySchema: [
          { AttributeName: t.listPartitionKey, KeyType: "HASH" },
          { AttributeName: t.listSortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: t.childrenIndex,
        KeySchema: [
          { AttributeName: t.childrenPartitionKey, KeyType: "HASH" },
          { AttributeName: t.childrenSortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

export function packagesTableDefinition(name: string): TableDefinition {
  const t = PACKAGES_TABLE;
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: t.partitionKey, AttributeType: "S" },
      { AttributeName: t.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: t.partitionKey, KeyType: "HASH" },
      { AttributeName: t.sortKey, KeyType: "RANGE" },
    ],
  };
}
