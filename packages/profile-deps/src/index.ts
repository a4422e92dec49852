export * from "./bus/index.js";
export {
  InvalidPackageFilterError,
  InvalidRangeError,
  InvalidRepositoryError,
  InvalidRequirementError,
  InvalidVersionError,
  PackageFamilyNotFoundError,
  PackageNotFoundError,
  PackageRequirementsConflictError,
  ProfileDepsError,
  ProfileDepsErrorCode,
  type ProfileDepsErrorOptions,
  ResolveBudgetError,
} from "./errors.js";
export * from "./events/index.js";
export * from "./packages/index.js";
export * from "./profiles/index.js";
export {
  createMemoryRepository,
  loadMemoryRepository,
  type MemoryRepository,
} from "./repository/memory-repository.js";
export { Package, type PackageDefinition, PackageVariant } from "./repository/package.js";
export { createPackageFamily, type PackageFamily } from "./repository/package-family.js";
export {
  createPackageFilter,
  type PackageFilterRules,
  type PackagePredicate,
} from "./repository/package-filter.js";
export type { PackageRepository } from "./repository/package-repository.js";
export {
  REPOSITORY_FORMAT,
  type RepositoryDocument,
  type RepositoryDocumentInput,
  repositoryDocumentSchema,
} from "./repository/repository-schema.js";
export { formatResolvedPackage } from "./resolver/format.js";
export { resolve, resolveSync } from "./resolver/resolve.js";
export {
  type ResolvedPackage,
  type ResolveFailure,
  ResolveFailureKind,
  type ResolveOptions,
  type ResolveProgress,
  type ResolveResult,
  type ResolveStats,
  VariantSelectMode,
} from "./resolver/types.js";
export {
  createResolverPool,
  type Resolver,
  type ResolverPool,
  type ResolverPoolOptions,
} from "./resolver/worker/resolver-pool.js";
export type { Bound } from "./version/bound.js";
export { parseVersionRange } from "./version/parse-version-range.js";
export { parseRequirement, Requirement } from "./version/requirement.js";
export { RequirementList } from "./version/requirement-list.js";
export { compareVersions, parseVersion, Version } from "./version/version.js";
export { VersionRange } from "./version/version-range.js";
