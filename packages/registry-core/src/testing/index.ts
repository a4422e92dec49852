export { type RegistryConformanceOptions, registryStoreConformance } from "./conformance.js";
export { actors, companyType, personType, taskType } from "./fixtures.js";
