import { ProfileNotValidError } from "./errors.js";
import type { Profile } from "./profile.js";

/** What reproduces a valid revision's environment later: exact versions and when they were resolved. */
export interface ProfileLock {
  name: string;
  revision: number;
  /** The effective request that was resolved. */
  request: string[];
  /** `name==version` per resolved package, in resolve order. */
  packages: string[];
  /** The chosen variant of each package (`null` when it has none), same order. */
  variants: { name: string; version: string; variantIndex: number | null }[];
  /** When the revision was resolved. */
  resolvedAt: string;
  /** `resolvedAt` in epoch seconds: `resolve(lock.request, repository, { timestamp })` reproduces the packages. */
  timestamp: number;
}

export function lockOf(profile: Profile): ProfileLock {
  if (profile.status !== "valid" || !profile.packages || !profile.resolvedAt) {
    throw new ProfileNotValidError(profile.name, profile.revision, profile.status);
  }
  return {
    name: profile.name,
    revision: profile.revision,
    request: [...profile.effectiveRequest],
    packages: profile.packages.map((p) => `${p.name}==${p.version}`),
    variants: profile.packages.map((p) => ({ ...p })),
    resolvedAt: profile.resolvedAt,
    timestamp: Math.floor(Date.parse(profile.resolvedAt) / 1000),
  };
}
