import { InvalidRepositoryError } from "../errors.js";
import { PackageVersionExistsError } from "../profiles/errors.js";
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
 * `rez-benchmark-repository/1` document (validated up front, as `createMemoryRepository` does).
 * Families are built once and rebuilt only when a version is added to them.
 */
export function createPublishableMemoryRepository(document?: unknown): MemoryPublishableRepository {
  const raw = new Map<string, Map<string, PackageDefinition>>();
  if (document !== undefined) {
    const parsed = repositoryDocumentSchema.safeParse(document);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 20)
        .map((i) => ({ path: i.path.join("."), message: i.message }));
      const first = issues[0];
      throw new InvalidRepositoryError(
        `Invalid package repository${first ? ` at ${first.path || "(root)"}: ${first.message}` : ""}`,
        issues,
        { cause: parsed.error },
      );
    }
    for (const [name, versions] of Object.entries(parsed.data.families)) {
      raw.set(name, new Map(Object.entries(versions)));
    }
  }
  const families = new Map<string, PackageFamily>();
  /** Rez-equal versions (`1.0`, `1-0`) share a key: only one of them can be published. */
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
