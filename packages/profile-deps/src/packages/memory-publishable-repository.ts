import { PackageVersionExistsError } from "../profiles/errors.js";
import { createMemoryRepository } from "../repository/memory-repository.js";
import type { PackageDefinition } from "../repository/package.js";
import { createPackageFamily, type PackageFamily } from "../repository/package-family.js";
import { repositoryDocumentSchema } from "../repository/repository-schema.js";
import { parseVersion } from "../version/version.js";
import type { PublishablePackageRepository, StoredPackageDefinition } from "./publishable-repository.js";

export interface MemoryPublishableRepository extends PublishablePackageRepository {
  getFamilySync(name: string): PackageFamily | undefined;
  /** The repository as a `rez-benchmark-repository/1` document. */
  toDocument(): {
    format: "rez-benchmark-repository/1";
    families: Record<string, Record<string, PackageDefinition>>;
  };
}

/**
 * An in-memory repository that accepts published versions, optionally seeded with a
 * `rez-benchmark-repository/1` document (validated as `createMemoryRepository` does).
 * Families are built once and rebuilt only when a version is added to them.
 */
export function createPublishableMemoryRepository(document?: unknown): MemoryPublishableRepository {
  const raw = new Map<string, Map<string, PackageDefinition>>();
  if (document !== undefined) {
    createMemoryRepository(document);
    const parsed = repositoryDocumentSchema.parse(document);
    for (const [name, versions] of Object.entries(parsed.families))
      raw.set(name, new Map(Object.entries(versions)));
  }
  const families = new Map<string, PackageFamily>();
  /** Version keys per family, so `1.0` and `1.00`... are told apart the way the solver orders them. */
  const keyOf = (version: string) => parseVersion(version).key;

  const getFamilySync = (name: string): PackageFamily | undefined => {
    let family = families.get(name);
    if (family === undefined) {
      const versions = raw.get(name);
      if (versions === undefined) return undefined;
      family = createPackageFamily(name, versions.entries());
      families.set(name, family);
    }
    return family;
  };

  return {
    listFamilies: async () => [...raw.keys()].sort(),
    getFamily: async (name) => getFamilySync(name),
    getFamilySync,
    async addPackage(family, version, definition: StoredPackageDefinition) {
      const versions = raw.get(family) ?? new Map<string, PackageDefinition>();
      const key = keyOf(version);
      for (const existing of versions.keys()) {
        if (existing === version || keyOf(existing) === key)
          throw new PackageVersionExistsError(family, version);
      }
      versions.set(version, structuredClone(definition) as PackageDefinition);
      raw.set(family, versions);
      families.delete(family);
    },
    toDocument() {
      const out: Record<string, Record<string, PackageDefinition>> = {};
      for (const [name, versions] of [...raw.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        out[name] = Object.fromEntries(versions);
      }
      return { format: "rez-benchmark-repository/1", families: out };
    },
  };
}
