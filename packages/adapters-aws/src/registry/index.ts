export {
  createDynamoRegistryStore,
  type DynamoRegistryStoreOptions,
  MAX_ITEM_BYTES,
  MAX_TRANSACTION_ITEMS,
} from "./dynamo-registry-store.js";
export { mapDynamoError } from "./errors.js";
export { edgeItem, entityItem, entityItems, indexItem, keys as registryKeys, uniqueItem } from "./keys.js";
export { createRegistryTable, REGISTRY_TABLE, registryTableDefinition } from "./table.js";
