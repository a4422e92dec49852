import type { TableDefinition } from "../dynamodb/create-tables.js";
import { keyTableDefinition } from "../dynamodb/key-table.js";
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

/** The `CreateTable` input of the profiles table, for `createTables` in local use and tests. */
export function profilesTableDefinition(name: string): TableDefinition {
  const t = PROFILES_TABLE;
  return keyTableDefinition(name, t, [
    { name: t.listIndex, partitionKey: t.listPartitionKey, sortKey: t.listSortKey },
    { name: t.childrenIndex, partitionKey: t.childrenPartitionKey, sortKey: t.childrenSortKey },
  ]);
}

/** The `CreateTable` input of the packages table, for `createTables` in local use and tests. */
export function packagesTableDefinition(name: string): TableDefinition {
  return keyTableDefinition(name, PACKAGES_TABLE);
}
