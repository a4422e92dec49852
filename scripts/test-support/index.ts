export { awsClientConfig, uniqueName } from "./aws.js";
export { createTestDatabase, type TestDatabase } from "./postgres.js";
export { dataDir } from "./data-dir.js";
