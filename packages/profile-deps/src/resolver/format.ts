import type { ResolvedPackage } from "./types.js";

/** Rez's `name-version[index]`: `name[]`-style `[]` for a package without variants, bare name when unversioned. */
export function formatResolvedPackage(pkg: ResolvedPackage): string {
  const stem = pkg.version === "" ? pkg.name : `${pkg.name}-${pkg.version}`;
  return `${stem}[${pkg.variantIndex ?? ""}]`;
}
