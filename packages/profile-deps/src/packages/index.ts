export { loadPublishableMemoryRepository } from "./load-publishable-repository.js";
export {
  createPublishableMemoryRepository,
  type MemoryPublishableRepository,
} from "./memory-publishable-repository.js";
export {
  type PackageDefinitionInput,
  type PublishedPackage,
  packageDefinitionInputSchema,
  publishPackage,
} from "./publish-package.js";
export type { PublishablePackageRepository, StoredPackageDefinition } from "./publishable-repository.js";
export { sampleRepositoryDocument } from "./sample-repository.js";
