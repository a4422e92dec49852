import type { PackageRepository } from "../repository/package-repository.js";
import { resolve } from "../resolver/resolve.js";
import type { ResolvedPackage } from "../resolver/types.js";
import type { Resolver } from "../resolver/worker/resolver-pool.js";
import { LockNotReproducibleError, ProfileNotValidError } from "./errors.js";
import type { Profile } from "./profile.js";

/** What reproduces a valid revision's environment later: exact versions and variants, and when they were resolved. */
export interface ProfileLock {
  name: string;
  revision: number;
  /** The effective request that was resolved. */
  request: string[];
  /** `name==version` per resolved package, in resolve order. */
  packages: string[];
  /** The chosen variant of each package (`null` when it has none), same order. */
  variants: { name: string; version: string; variantIndex: number | null }[];
  /** Resolved ephemerals (`.feature-2`), which are part of the environment but not packages. */
  ephemerals: string[];
  /** What `replayLock` resolves: every package pinned to its exact version, and the ephemerals. */
  replayRequest: string[];
  /** When the revision was resolved. */
  resolvedAt: string;
  /** `resolvedAt` in epoch seconds: the repository as it was then (packages released later were not visible). */
  timestamp: number;
}

/** The lock of a valid profile: the exact packages its current revision resolved to. */
export function lockOf(profile: Profile): ProfileLock {
  if (profile.status !== "valid" || !profile.packages || !profile.resolvedAt) {
    throw new ProfileNotValidError(profile.name, profile.revision, profile.status);
  }
  const packages = profile.packages.map((p) => `${p.name}==${p.version}`);
  const ephemerals = [...(profile.ephemerals ?? [])];
  return {
    name: profile.name,
    revision: profile.revision,
    request: [...profile.effectiveRequest],
    packages,
    variants: profile.packages.map((p) => ({ ...p })),
    ephemerals,
    replayRequest: [...packages, ...ephemerals],
    resolvedAt: profile.resolvedAt,
    timestamp: Math.floor(Date.parse(profile.resolvedAt) / 1000),
  };
}

const sameVariant = (a: ResolvedPackage, b: ResolvedPackage) =>
  a.name === b.name && a.version === b.version && a.variantIndex === b.variantIndex;

/**
 * Resolves a lock again: every package pinned to its exact version, so packages published
 * since play no part whatever their timestamp (a resolve as of `lock.timestamp` would take
 * a package published later with an older one), and checks the same variants come back. Returns them in the lock's order; throws
 * `LockNotReproducibleError` when a locked package is gone or another variant is chosen.
 */
export async function replayLock(
  lock: ProfileLock,
  repository: PackageRepository,
  options: { resolver?: Resolver } = {},
): Promise<{ packages: ResolvedPackage[]; ephemerals: string[] }> {
  const run = options.resolver ?? resolve;
  let result: Awaited<ReturnType<Resolver>>;
  try {
    result = await run(lock.replayRequest, repository);
  } catch (error) {
    throw new LockNotReproducibleError(lock.name, lock.revision, (error as Error).message, { cause: error });
  }
  if (result.status !== "solved") {
    throw new LockNotReproducibleError(lock.name, lock.revision, result.failure.description);
  }
  const byName = new Map(result.packages.map((p) => [p.name, p]));
  for (const locked of lock.variants) {
    const replayed = byName.get(locked.name);
    if (replayed === undefined || !sameVariant(replayed, locked)) {
      const got = replayed
        ? `${replayed.name}-${replayed.version}[${replayed.variantIndex ?? ""}]`
        : "nothing";
      throw new LockNotReproducibleError(
        lock.name,
        lock.revision,
        `${locked.name}-${locked.version}[${locked.variantIndex ?? ""}] resolved to ${got}`,
      );
    }
  }
  if (result.packages.length !== lock.variants.length) {
    const extra = result.packages
      .filter((p) => !lock.variants.some((l) => l.name === p.name))
      .map((p) => p.name);
    throw new LockNotReproducibleError(
      lock.name,
      lock.revision,
      `packages not in the lock: ${extra.join(", ")}`,
    );
  }
  return { packages: lock.variants.map((v) => byName.get(v.name)!), ephemerals: [...result.ephemerals] };
}
