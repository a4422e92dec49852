export { AwsAdapterError, AwsAdapterErrorCode } from "../errors.js";
export { backoff, defaultRetryPolicy, type RetryPolicy } from "./backoff.js";
export { type BatchGetOptions, type BatchWrite, batchGetAll, batchWriteAll } from "./batch.js";
export {
  type CreateTablesOptions,
  createTables,
  deleteTables,
  type TableDefinition,
} from "./create-tables.js";
export { createDocumentClient } from "./document-client.js";
export {
  type Item,
  type Key,
  type Page,
  type PageOptions,
  queryAll,
  queryPages,
  scanAll,
  scanPages,
} from "./paginate.js";
export { PortsideTable, TableNameError, tableName, tableNames, tablePrefixFromEnv } from "./table-names.js";
export { type TransactionItem, type TransactWriteOptions, transactWrite } from "./transact.js";
export { putOnce, updateOnce, WRITE_TOKEN_ATTRIBUTE, type WriteToken } from "./write-once.js";
