export {
  PortsideTable,
  TableNameError,
  tableName,
  tableNames,
  tablePrefixFromEnv,
} from "./dynamodb/table-names.js";
