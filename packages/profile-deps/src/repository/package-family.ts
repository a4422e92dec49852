import { parseVersion } from "../version/version.js";
import { Package, type PackageDefinition } from "./package.js";

/** All versions of one package name, newest first. */
export interface PackageFamily {
  readonly name: string;
  readonly packages: readonly Package[];
}

/** Builds a family from `version -> definition` entries, sorted newest first (stable for equal versions). */
export function createPackageFamily(
  name: string,
  versions: Iterable<readonly [string, PackageDefinition]>,
): PackageFamily {
  const packages = [...versions].map(
    ([text, definition]) => new Package(name, parseVersion(text), definition),
  );
  packages.sort((a, b) => (a.version.key > b.version.key ? -1 : a.version.key < b.version.key ? 1 : 0));
  return { name, packages };
}
