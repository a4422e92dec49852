import { PackageFamilyNotFoundError } from "../errors.js";
import type { Package, PackageVariant } from "../repository/package.js";
import type { PackageFamily } from "../repository/package-family.js";
import type { PackagePredicate } from "../repository/package-filter.js";
import type { RequirementList } from "../version/requirement-list.js";
import type { VersionRange } from "../version/version-range.js";
import { PackageEntry } from "./package-entry.js";
import { SliceInfo } from "./slice-info.js";
import type { VariantSelectMode } from "./types.js";
import { VariantFacts } from "./variant-facts.js";
import { orderVariants } from "./variant-order.js";

/** Positions (newest first) of the packages whose version is in `range`, by binary search per bound. */
function positionsInRange(packages: readonly Package[], range: VersionRange): number[] {
  const found: number[] = [];
  const bounds = range.bounds;
  for (let b = bounds.length - 1; b >= 0; b--) {
    const bound = bounds[b]!;
    const upper = bound.upper.key;
    let lo = 0;
    let hi = packages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = packages[mid]!.version.key;
      if (k > upper || (k === upper && !bound.upperInclusive)) lo = mid + 1;
      else hi = mid;
    }
    const lower = bound.lower.key;
    for (let i = lo; i < packages.length; i++) {
      const k = packages[i]!.version.key;
      if (k < lower || (k === lower && !bound.lowerInclusive)) break;
      found.push(i);
    }
  }
  return found;
}

/** Facts per family and range, shared by solves that hide no packages. */
const sharedFacts = new WeakMap<PackageFamily, Map<string, VariantFacts>>();
const SHARED_FACTS_PER_FAMILY = 512;

interface VariantOrder {
  readonly ordered: readonly PackageVariant[];
  readonly rank: Map<PackageVariant, number>;
}

/** State shared by every phase of one solve: the request, family lookups and per-request variant order. */
export class SolveContext {
  readonly request: RequirementList;
  readonly mode: VariantSelectMode;
  readonly #lookup: (name: string) => PackageFamily | undefined;
  readonly #filter: PackagePredicate | null;
  readonly #visible = new Map<Package, boolean>();
  readonly #infos = new Map<string, Map<string, SliceInfo | null>>();
  /** Per family, one entry per package holding all its variants (by position); only ever sorted, never changed. */
  readonly #fullEntries = new Map<string, (PackageEntry | undefined)[]>();
  readonly #orders = new Map<Package, VariantOrder>();
  readonly #dependents = new Map<string, Set<string>>();

  constructor(
    request: RequirementList,
    mode: VariantSelectMode,
    lookup: (name: string) => PackageFamily | undefined,
    filter: PackagePredicate | null,
  ) {
    this.request = request;
    this.mode = mode;
    this.#lookup = lookup;
    this.#filter = filter;
  }

  /**
   * The variants of a family inside a range (newest first) as a slice's shared
   * info, or null when no package is in the range. Throws if the family is unknown.
   */
  sliceInfoInRange(name: string, range: VersionRange): SliceInfo | null {
    let byRange = this.#infos.get(name);
    if (byRange === undefined) {
      if (this.#lookup(name) === undefined) throw new PackageFamilyNotFoundError(name);
      byRange = new Map();
      this.#infos.set(name, byRange);
    }
    const key = range.key;
    let info = byRange.get(key);
    if (info !== undefined) return info;
    const family = this.#lookup(name)!;
    const packages = family.packages;
    let full = this.#fullEntries.get(name);
    if (full === undefined) {
      full = new Array(packages.length);
      this.#fullEntries.set(name, full);
    }
    const entries: PackageEntry[] = [];
    for (const i of positionsInRange(packages, range)) {
      let entry = full[i];
      if (entry === undefined) {
        const pkg = packages[i]!;
        if (!this.#isVisible(pkg)) continue;
        entry = new PackageEntry(pkg, pkg.variants);
        full[i] = entry;
      }
      entries.push(entry);
    }
    info = null;
    if (entries.length > 0) {
      info = new SliceInfo(entries, this, this.#factsFor(family, key, entries));
      this.registerDependent(name, info.famRequires);
    }
    byRange.set(key, info);
    return info;
  }

  #factsFor(family: PackageFamily, key: string, entries: readonly PackageEntry[]): VariantFacts {
    if (this.#filter !== null) return VariantFacts.of(entries);
    let byRange = sharedFacts.get(family);
    if (byRange === undefined || byRange.size >= SHARED_FACTS_PER_FAMILY) {
      byRange = new Map();
      sharedFacts.set(family, byRange);
    }
    let facts = byRange.get(key);
    if (facts === undefined) {
      facts = VariantFacts.of(entries.map((e) => e.pkg));
      byRange.set(key, facts);
    }
    return facts;
  }

  /** `variants` (some of a package's variants) in this request's order of preference. */
  orderedVariants(pkg: Package, variants: readonly PackageVariant[]): readonly PackageVariant[] {
    let order = this.#orders.get(pkg);
    if (order === undefined) {
      const ordered = orderVariants(pkg.variants, this.request, this.mode);
      order = { ordered, rank: new Map(ordered.map((v, i) => [v, i])) };
      this.#orders.set(pkg, order);
    }
    if (variants.length === order.ordered.length) return order.ordered;
    const rank = order.rank;
    return [...variants].sort((a, b) => rank.get(a)! - rank.get(b)!);
  }

  /** Records that some scope of `name` may mention each of `fams`. */
  registerDependent(name: string, fams: ReadonlySet<string>): void {
    for (const fam of fams) {
      const set = this.#dependents.get(fam);
      if (set === undefined) this.#dependents.set(fam, new Set([name]));
      else set.add(name);
    }
  }

  /** Names of every family whose scopes, in this solve, may mention `fam` (a superset). */
  dependentsOf(fam: string): ReadonlySet<string> | undefined {
    return this.#dependents.get(fam);
  }

  #isVisible(pkg: Package): boolean {
    if (this.#filter === null) return true;
    let visible = this.#visible.get(pkg);
    if (visible === undefined) {
      visible = this.#filter(pkg);
      this.#visible.set(pkg, visible);
    }
    return visible;
  }
}
