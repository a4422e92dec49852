import { InvalidRequirementError } from "../errors.js";
import type { PackageFamily } from "../repository/package-family.js";
import type { PackageRepository } from "../repository/package-repository.js";
import { parseRequirement, type Requirement } from "../version/requirement.js";

/** The family a requirement string names; a malformed one is left for the solve to report if it is reached. */
function nameOf(text: string): string | null {
  try {
    return parseRequirement(text).name;
  } catch (error) {
    if (error instanceof InvalidRequirementError) return null;
    throw error;
  }
}

/** Families are immutable once built: their dependency names are computed once. */
const dependencyNames = new WeakMap<PackageFamily, readonly string[]>();

function dependenciesOf(family: PackageFamily): readonly string[] {
  let names = dependencyNames.get(family);
  if (names === undefined) {
    const found = new Set<string>();
    for (const pkg of family.packages) {
      for (const text of [...pkg.requires, ...(pkg.variantRequires ?? []).flat()]) {
        const dep = nameOf(text);
        if (dep !== null && !dep.startsWith(".")) found.add(dep);
      }
    }
    names = [...found];
    dependencyNames.set(family, names);
  }
  return names;
}

/**
 * Every family a request can reach through any version's requirements, loaded from the
 * repository (`undefined` for a name it does not hold), so a solve never waits.
 */
export async function reachableFamilies(
  requirements: readonly Requirement[],
  repository: PackageRepository,
): Promise<Map<string, PackageFamily | undefined>> {
  const families = new Map<string, PackageFamily | undefined>();
  let frontier = [...new Set(requirements.map((r) => r.name))].filter((n) => !n.startsWith("."));
  while (frontier.length > 0) {
    const sync = repository.getFamilySync?.bind(repository);
    const loaded = sync
      ? frontier.map(sync)
      : await Promise.all(frontier.map((n) => repository.getFamily(n)));
    const next = new Set<string>();
    frontier.forEach((name, i) => {
      const family = loaded[i];
      families.set(name, family);
      if (family === undefined) return;
      for (const dep of dependenciesOf(family)) if (!families.has(dep)) next.add(dep);
    });
    frontier = [...next];
    // A level of a large closure is work enough for one turn of the event loop.
    if (frontier.length > 0) await new Promise((resume) => setImmediate(resume));
  }
  return families;
}

/** A lookup over `reachableFamilies`. */
export async function lookupReachableFamilies(
  requirements: readonly Requirement[],
  repository: PackageRepository,
): Promise<(name: string) => PackageFamily | undefined> {
  const families = await reachableFamilies(requirements, repository);
  return (name) => families.get(name);
}
