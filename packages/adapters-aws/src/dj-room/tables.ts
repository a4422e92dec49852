import type { TableDefinition } from "../dynamodb/create-tables.js";
import { keyTableDefinition } from "../dynamodb/key-table.js";
import { PortsideTable, tableName } from "../dynamodb/table-names.js";

/** The attribute DynamoDB's TTL reads on the rooms table (epoch seconds). */
export const CONNECTION_TTL_ATTRIBUTE = "expiresAt";

/** Keys of the `<prefix>-rooms` table: one partition per room, plus code and host items. */
export const ROOMS_TABLE = { partitionKey: "pk", sortKey: "sk" } as const;

/**
 * A sparse index of rooms with a playback check due: room items carry `dueShard`/`dueAt` only
 * while `nextCheckAt` is set, so the scheduler queries nothing else.
 */
export const DUE_ROOMS_INDEX = {
  name: "due",
  partitionKey: "dueShard",
  sortKey: "dueAt",
  projection: "KEYS_ONLY",
} as const;

/** The `CreateTable` input of the rooms table, for `createTables` in local use and tests. */
export function roomsTableDefinition(name: string): TableDefinition {
  return keyTableDefinition(name, ROOMS_TABLE, [DUE_ROOMS_INDEX]);
}

/** Definitions of the dj-room tables for `createTables`, named from the prefix. */
export function djRoomTableDefinitions(prefix: string): TableDefinition[] {
  return [roomsTableDefinition(tableName(prefix, PortsideTable.rooms))];
}
