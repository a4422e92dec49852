export { nextRevision, profileFixture, uniqueProfileName } from "./fixtures.js";
export {
  describePackageRepositoryConformance,
  type PackageRepositoryConformanceOptions,
} from "./package-repository-conformance.js";
export {
  describeProfileStoreConformance,
  type ProfileStoreConformanceOptions,
} from "./profile-store-conformance.js";
