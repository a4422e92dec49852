import type { PackageFamily } from "./package-family.js";

/**
 * Where packages come from. `getFamily` answers one family, newest version first,
 * or `undefined` when the name is unknown. A repository held in memory may also
 * offer `getFamilySync`; the resolver then reads it directly instead of loading
 * every family a request could reach before solving.
 */
export interface PackageRepository {
  listFamilies(): Promise<readonly string[]>;
  getFamily(name: string): Promise<PackageFamily | undefined>;
  getFamilySync?(name: string): PackageFamily | undefined;
}
