import { expect } from "vitest";
import type { MemoryRepository } from "../../src/repository/memory-repository.js";
import type { ResolvedPackage } from "../../src/resolver/types.js";
import { parseRequirement, type Requirement } from "../../src/version/requirement.js";
import { parseVersion } from "../../src/version/version.js";

/**
 * Checks a solve on its own terms: one version per family, every requirement
 * of the request and of each chosen variant holds (plain ones present and in
 * range, conflicts and weak ones absent or out of their range).
 */
export function expectValidResolve(
  request: readonly string[],
  packages: readonly ResolvedPackage[],
  repository: MemoryRepository,
): void {
  const chosen = new Map(packages.map((p) => [p.name, p]));
  expect(chosen.size, "one version per family").toBe(packages.length);
  const holds = (req: Requirement, by: string) => {
    if (req.ephemeral) return;
    const pkg = chosen.get(req.name);
    const inRange =
      pkg !== undefined && (req.range === null || req.range.contains(parseVersion(pkg.version)));
    if (req.conflict) {
      if (req.range !== null) expect(pkg !== undefined && inRange, `${by}: ${req}`).toBe(false);
    } else {
      expect(inRange, `${by}: ${req}`).toBe(true);
    }
  };
  for (const text of request) holds(parseRequirement(text), "request");
  for (const p of packages) {
    const pkg = repository.getFamilySync(p.name)!.packages.find((x) => x.version.text === p.version)!;
    const variant = pkg.variants.find((v) => v.index === p.variantIndex)!;
    expect(variant, `${p.name}-${p.version}[${p.variantIndex ?? ""}] exists`).toBeDefined();
    for (const req of variant.requires.requirements) holds(req, `${p.name}-${p.version}`);
  }
}
