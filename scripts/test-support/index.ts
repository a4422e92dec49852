export { type AwsService, awsClientConfig, awsEndpoint, uniqueName } from "./aws.js";
export { dataDir } from "./data-dir.js";
export {
  type FaultCounts,
  type FaultOptions,
  type FaultProfile,
  faultProfiles,
  faultyDynamoClient,
  withDynamoFaults,
} from "./dynamo-faults.js";
export { createTestDatabase, type TestDatabase } from "./postgres.js";
export { pythonWith } from "./python-tool.js";
