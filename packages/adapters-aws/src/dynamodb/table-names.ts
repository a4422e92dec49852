import { AwsAdapterError, AwsAdapterErrorCode } from "../errors.js";

/** Logical names of the DynamoDB tables Portside's adapters use; the physical name is `<prefix>-<table>`. */
export const PortsideTable = {
  registry: "registry",
  profiles: "profiles",
  packages: "packages",
  rooms: "rooms",
} as const;

export type PortsideTable = (typeof PortsideTable)[keyof typeof PortsideTable];

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;
const TABLE = /^[A-Za-z0-9_.-]{1,128}$/;

/** Thrown for a prefix or table name DynamoDB would refuse (or `DYNAMODB_TABLES_USERID` missing). */
export class TableNameError extends AwsAdapterError<typeof AwsAdapterErrorCode.invalidTableName> {
  override readonly name = "TableNameError";

  constructor(message: string) {
    super(AwsAdapterErrorCode.invalidTableName, message);
  }
}

/**
 * `<prefix>-<table>`: the prefix is `DYNAMODB_TABLES_USERID`, the environment's name when
 * deployed and a per-user value locally, so developers never share tables.
 */
export function tableName(prefix: string, table: string): string {
  if (!PREFIX.test(prefix)) {
    throw new TableNameError(`Invalid table prefix '${prefix}': 1-64 of letters, digits, '_', '.', '-'`);
  }
  if (!TABLE.test(table)) throw new TableNameError(`Invalid table name '${table}'`);
  return `${prefix}-${table}`;
}

/** Every Portside table name for one prefix: `tableNames("dev").profiles === "dev-profiles"`. */
export function tableNames(prefix: string): { readonly [K in keyof typeof PortsideTable]: string } {
  return {
    registry: tableName(prefix, PortsideTable.registry),
    profiles: tableName(prefix, PortsideTable.profiles),
    packages: tableName(prefix, PortsideTable.packages),
    rooms: tableName(prefix, PortsideTable.rooms),
  };
}

/** Reads `DYNAMODB_TABLES_USERID`; throws naming the key when it is missing. */
export function tablePrefixFromEnv(env: Record<string, string | undefined> = process.env): string {
  const prefix = env.DYNAMODB_TABLES_USERID?.trim();
  if (!prefix)
    throw new TableNameError("DYNAMODB_TABLES_USERID is not set: it prefixes every DynamoDB table name");
  tableName(prefix, "x");
  return prefix;
}
