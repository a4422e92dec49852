import type { PackageFamily } from "./package-family.js";

/**
 * Where packages come from. `getFamily` answers one family, newest version first,
 * or `undefined` when the name is unknown. A repository held in memory may also
 * offer `getFamilySync`; the resolver then reads it directly instead of loading
 * every family a request could reach before solving.
 */
export interface PackageRepository {
  /** The names of every package family. */
  listFamilies(): Promise<readonly string[]>;
  /** A family's versions, newest first, or undefined. */
  getFamily(name: string): Promise<PackageFamily | undefined>;
  /** `getFamily` without a promise, for repositories held in memory. */
  getFamilySync?(name: string): PackageFamily | undefined;
}
