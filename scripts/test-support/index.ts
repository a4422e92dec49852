export { awsClientConfig, uniqueName } from "./aws.js";
export { createTestDatabase, type TestDatabase } from "./postgres.js";
export { sharedDataDir } from "./shared-data.js";
