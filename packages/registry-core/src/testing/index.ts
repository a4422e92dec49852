export type { ConformanceOptions, RegistryBackdoor } from "./conformance-options.js";
export { actors, companyType, employeeType, personType, taskType } from "./fixtures.js";
export { type SearchIndexConformanceOptions, searchIndexConformance } from "./search-index-conformance.js";
export { registryServiceConformance } from "./service-conformance.js";
export { registryStoreConformance } from "./store-conformance.js";
