import type { PackageVariant } from "../repository/package.js";
import type { Requirement } from "../version/requirement.js";
import type { RequirementList } from "../version/requirement-list.js";
import type { VersionRange } from "../version/version-range.js";

const LINEAR_SEARCH_LIMIT = 16;
const indexes = new WeakMap<unknown[], Set<unknown>>();

/** Appends `item` unless already present; lists that grow long get a set beside them. */
function addDistinct<T>(list: T[], item: T): void {
  if (list.length < LINEAR_SEARCH_LIMIT) {
    if (!list.includes(item)) list.push(item);
    return;
  }
  let index = indexes.get(list) as Set<T> | undefined;
  if (index === undefined) {
    index = new Set(list);
    indexes.set(list, index);
  }
  if (!index.has(item)) {
    index.add(item);
    list.push(item);
  }
}

/** Anything holding variants: a package, or a package entry of a slice. */
export interface HasVariants {
  readonly variants: readonly PackageVariant[];
}

export interface CommonDependencies {
  /** Families every variant requires, sorted by name. */
  readonly fams: readonly string[];
  /** Per family, the union of the ranges the variants ask for (what Rez extracts). */
  readonly unions: readonly VersionRange[];
  /** Per family, whether every variant asks through the same range. */
  readonly single: readonly boolean[];
}

/**
 * Facts about a set of variants that do not depend on their order, so they can
 * be shared by every slice holding the same set, within a solve and (when no
 * filter hides packages) across solves.
 */
export class VariantFacts {
  /**
   * Families some variant requires or conflicts with. May be inherited from a
   * larger set: a superset only costs reductions that find nothing to remove.
   */
  readonly famRequires: ReadonlySet<string>;
  /** Distinct requirement objects per family, for a set holding these variants and perhaps more. */
  readonly requirementsByFam: Map<string, readonly Requirement[]>;
  readonly #holders: readonly HasVariants[];
  readonly #parent: VariantFacts | undefined;
  readonly #root: boolean;
  /** The facts of the full set this one was narrowed from (itself for a root). */
  readonly #rootFacts: VariantFacts;
  #common: CommonDependencies | undefined;
  #ownRequirements: Map<string, readonly Requirement[]> | undefined;

  private constructor(
    holders: readonly HasVariants[],
    famRequires: ReadonlySet<string>,
    requirementsByFam: Map<string, readonly Requirement[]>,
    parent: VariantFacts | undefined,
    root: boolean,
    rootFacts?: VariantFacts,
  ) {
    this.#holders = holders;
    this.famRequires = famRequires;
    this.requirementsByFam = requirementsByFam;
    this.#parent = parent;
    this.#root = root;
    this.#rootFacts = rootFacts ?? this;
  }

  static of(holders: readonly HasVariants[]): VariantFacts {
    const fams = new Set<string>();
    for (const holder of holders) {
      for (const variant of holder.variants) for (const r of variant.requires.requirements) fams.add(r.name);
    }
    return new VariantFacts(holders, fams, new Map(), undefined, true);
  }

  /** Facts for a subset of these variants, derived from this set's where that is exact or safe. */
  subset(holders: readonly HasVariants[]): VariantFacts {
    let ancestor: VariantFacts | undefined = this;
    while (ancestor !== undefined && ancestor.#common === undefined) ancestor = ancestor.#parent;
    return new VariantFacts(
      holders,
      this.famRequires,
      this.requirementsByFam,
      ancestor,
      false,
      this.#rootFacts,
    );
  }

  get common(): CommonDependencies {
    if (this.#common === undefined) this.#common = this.#computeCommon();
    return this.#common;
  }

  /** Whether these facts were computed for their own set, not derived from a larger one. */
  get isRoot(): boolean {
    return this.#root;
  }

  /**
   * The distinct requirements for a family; for a subset, possibly those of the
   * larger set it came from (a superset: fine for ruling conflicts out).
   */
  requirementsFor(fam: string): readonly Requirement[] {
    return this.requirementsByFam.get(fam) ?? this.#rootFacts.exactRequirementsFor(fam);
  }

  /** The distinct requirements the variants of exactly this set hold for a family. */
  exactRequirementsFor(fam: string): readonly Requirement[] {
    if (!this.#root) this.#ownRequirements ??= new Map();
    const cache = this.#root ? this.requirementsByFam : this.#ownRequirements!;
    let found = cache.get(fam);
    if (found === undefined) {
      const list: Requirement[] = [];
      let last: Requirement | undefined;
      for (const holder of this.#holders) {
        for (const variant of holder.variants) {
          const own = variant.requires.get(fam);
          if (own === undefined || own === last) continue;
          last = own;
          addDistinct(list, own);
        }
      }
      found = list;
      cache.set(fam, found);
    }
    return found;
  }

  /**
   * A family that every variant of a larger set required through one range is
   * required the same way by any subset: those come from the parent, the others
   * from looking at the variants.
   */
  #computeCommon(): CommonDependencies {
    const first: RequirementList = this.#holders[0]!.variants[0]!.requires;
    const fams = first.sortedNames;
    const own = first.sortedRequirements;
    const n = fams.length;
    const unions: VersionRange[] = [];
    const single: boolean[] = [];
    const scan: number[] = [];
    const parent = this.#parent === undefined ? undefined : this.#parent.#common;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const fam = fams[i]!;
      single.push(true);
      if (parent !== undefined) {
        while (p < parent.fams.length && parent.fams[p]! < fam) p++;
        if (p < parent.fams.length && parent.fams[p] === fam && parent.single[p]) {
          unions.push(parent.unions[p]!);
          continue;
        }
      }
      unions.push(own[i]!.range!);
      scan.push(i);
    }
    if (scan.length === 0) return { fams, unions, single };
    let dropped: boolean[] | null = null;
    if (scan.length > 0) {
      const distinct: VersionRange[][] = scan.map((i) => [unions[i]!]);
      const last = scan.map((i) => unions[i]!);
      let remaining = scan.length;
      outer: for (const holder of this.#holders) {
        for (const variant of holder.variants) {
          const requires = variant.requires;
          if (requires === first) continue;
          const sorted = requires.sortedRequirements;
          let j = 0;
          for (let k = 0; k < scan.length; k++) {
            if (dropped?.[k]) continue;
            const fam = fams[scan[k]!]!;
            while (j < sorted.length && sorted[j]!.name < fam) j++;
            const own = j < sorted.length && sorted[j]!.name === fam ? sorted[j]! : undefined;
            if (own === undefined) {
              dropped ??= new Array(scan.length).fill(false);
              dropped[k] = true;
              if (--remaining === 0) break outer;
              continue;
            }
            const range = own.range!;
            if (range === last[k]) continue;
            last[k] = range;
            const seen = distinct[k]!;
            addDistinct(seen, range);
          }
        }
      }
      for (let k = 0; k < scan.length; k++) {
        const ranges = distinct[k]!;
        if (ranges.length > 1) {
          unions[scan[k]!] = ranges[0]!.union(...ranges.slice(1));
          single[scan[k]!] = false;
        }
      }
    }
    if (dropped === null) return { fams, unions, single };
    const keep = fams.map((_, i) => {
      const k = scan.indexOf(i);
      return k < 0 || !dropped![k];
    });
    return {
      fams: fams.filter((_, i) => keep[i]),
      unions: unions.filter((_, i) => keep[i]),
      single: single.filter((_, i) => keep[i]),
    };
  }
}
