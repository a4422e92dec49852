export {
  PortsideTable,
  TableNameError,
  tableName,
  tableNames,
  tablePrefixFromEnv,
} from "./dynamodb/table-names.js";
export { AwsAdapterError, AwsAdapterErrorCode } from "./errors.js";
