export {
  type CreateTablesOptions,
  createTables,
  deleteTables,
  type TableDefinition,
} from "./create-tables.js";
export { PortsideTable, TableNameError, tableName, tableNames, tablePrefixFromEnv } from "./table-names.js";
