export {
  createDynamoPackageRepository,
  type DynamoPackageRepository,
  type DynamoPackageRepositoryOptions,
} from "./dynamo-package-repository.js";
export { createDynamoProfileStore, type DynamoProfileStoreOptions } from "./dynamo-profile-store.js";
export {
  createProfileEventLambdaHandler,
  createProfileEventSqsHandler,
  createProfileEventSqsLambdaHandler,
  type EventBridgeEnvelope,
  type ProfileDelivery,
  type ProfileEventConsumerOptions,
  type QueuedMessage,
  type SqsLambdaEvent,
} from "./event-consumers.js";
export {
  PACKAGES_TABLE,
  PROFILES_TABLE,
  packagesTableDefinition,
  profileDepsTableDefinitions,
  profilesTableDefinition,
} from "./tables.js";
