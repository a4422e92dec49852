import type { PackageFamily } from "../repository/package-family.js";
import { createPackageFilter } from "../repository/package-filter.js";
import type { PackageRepository } from "../repository/package-repository.js";
import { parseRequirement, type Requirement } from "../version/requirement.js";
import { RequirementList } from "../version/requirement-list.js";
import { lookupReachableFamilies } from "./reachable-families.js";
import { SolveContext } from "./solve-context.js";
import { runSolver } from "./solver.js";
import { type ResolveOptions, type ResolveResult, VariantSelectMode } from "./types.js";

/**
 * Resolves a request (`["maya-2022+<2024", "~python-3.7", "!houdini"]`) against a
 * repository with Rez's semantics: same request and repository, same result.
 *
 * Returns a solved or failed result. Throws `InvalidRequirementError` for a
 * malformed request, `PackageFamilyNotFoundError` / `PackageNotFoundError` when a
 * requested family or version does not exist, and `ResolveBudgetError` when a
 * budget in the options runs out.
 */
export async function resolve(
  request: readonly (string | Requirement)[],
  repository: PackageRepository,
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  const requirements = request.map((r) => (typeof r === "string" ? parseRequirement(r) : r));
  const lookup = repository.getFamilySync
    ? repository.getFamilySync.bind(repository)
    : await lookupReachableFamilies(requirements, repository);
  return resolveSync(requirements, lookup, options);
}

/** The synchronous core of `resolve`, for a repository whose families can be read without waiting. */
export function resolveSync(
  request: readonly (string | Requirement)[],
  lookup: (name: string) => PackageFamily | undefined,
  options: ResolveOptions = {},
): ResolveResult {
  const requirements = request.map((r) => (typeof r === "string" ? parseRequirement(r) : r));
  const context = new SolveContext(
    new RequirementList(requirements),
    options.variantSelectMode ?? VariantSelectMode.versionPriority,
    lookup,
    createPackageFilter(options.filters, options.timestamp),
  );
  return runSolver(context, {
    maxSteps: options.maxSteps,
    timeoutMs: options.timeoutMs,
    onProgress: options.onProgress,
  });
}
