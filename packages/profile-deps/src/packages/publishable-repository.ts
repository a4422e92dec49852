import type { PackageDefinition } from "../repository/package.js";
import type { PackageRepository } from "../repository/package-repository.js";

/** A stored package version, as `publishPackage` writes it. */
export interface StoredPackageDefinition extends PackageDefinition {
  readonly requires: readonly string[];
  readonly variants?: readonly (readonly string[])[];
  readonly timestamp: number;
}

/**
 * A repository that also accepts new package versions. A published version is
 * immutable: adding one that exists throws `PackageVersionExistsError` and changes nothing.
 */
export interface PublishablePackageRepository extends PackageRepository {
  /** Publishes one version of a package family. */
  addPackage(family: string, version: string, definition: StoredPackageDefinition): Promise<void>;
}
