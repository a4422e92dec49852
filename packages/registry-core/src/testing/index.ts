export { type RegistryConformanceOptions, registryStoreConformance } from "./conformance.js";
export { actors, companyType, employeeType, personType, taskType } from "./fixtures.js";
