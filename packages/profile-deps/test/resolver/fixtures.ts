import { createMemoryRepository, type MemoryRepository } from "../../src/repository/memory-repository.js";
import type { PackageDefinition } from "../../src/repository/package.js";

type Families = Record<string, Record<string, Partial<PackageDefinition>>>;

/** A memory repository from a compact `{family: {version: {requires, variants}}}` literal. */
export function repositoryOf(families: Families): MemoryRepository {
  const full: Record<string, Record<string, PackageDefinition>> = {};
  for (const [name, versions] of Object.entries(families)) {
    full[name] = {};
    for (const [version, definition] of Object.entries(versions)) {
      full[name]![version] = { requires: [], ...definition };
    }
  }
  return createMemoryRepository({ format: "rez-benchmark-repository/1", families: full });
}

/** The foo/bah/eek example of Rez's "Dependency Resolving" documentation. */
export const docsExample = repositoryOf({
  foo: {
    "1.1": { requires: ["eek-2.5"] },
    "1.2": { requires: ["eek-2.6"] },
    "1.3": { requires: ["eek-2.7"] },
  },
  bah: {
    "2": { requires: ["eek-2.5"] },
    "3": { requires: ["eek-2.5"] },
    "4": { requires: ["eek-2.6"] },
  },
  eek: { "2.5": {}, "2.6": {}, "2.7": {} },
});
