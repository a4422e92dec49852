import type { Requirement } from "../version/requirement.js";
import type { Version } from "../version/version.js";
import { VersionRange } from "../version/version-range.js";
import type { PackageEntry } from "./package-entry.js";
import type { SolveContext } from "./solve-context.js";

/**
 * What can be known about a set of variants, computed once and shared by every
 * slice holding exactly that set (shallow copies, and slices built for the same
 * family range in different phases of a solve).
 */
export class SliceInfo {
  readonly entries: readonly PackageEntry[];
  readonly context: SolveContext;
  /**
   * Families some variant requires or conflicts with. May be inherited from a
   * larger set: a superset only costs reductions that find nothing to remove.
   */
  readonly famRequires: ReadonlySet<string>;
  /** Requests known not to reduce these variants. */
  reducedBy: Set<Requirement> | null = null;
  /** Ranges (by key) known not to narrow these variants. */
  intersectedWith: Set<string> | null = null;
  #length = -1;
  #range: VersionRange | undefined;
  #commonFams: readonly string[] | undefined;
  /** Per common family, the union of the ranges the variants ask for. */
  #commonUnions: VersionRange[] | undefined;
  /** Per common family, whether every variant asks for it through the same range. */
  #singleRange: boolean[] | undefined;
  #parent: SliceInfo | undefined;
  #requirementsByFam: Map<string, readonly Requirement[]> | undefined;

  constructor(
    entries: readonly PackageEntry[],
    context: SolveContext,
    name: string,
    parent?: SliceInfo,
  ) {
    this.entries = entries;
    this.context = context;
    if (parent === undefined) {
      this.famRequires = computeFamRequires(entries);
      context.registerDependent(name, this.famRequires);
    } else {
      this.famRequires = parent.famRequires;
      let ancestor: SliceInfo | undefined = parent;
      while (ancestor !== undefined && ancestor.#commonFams === undefined) ancestor = ancestor.#parent;
      this.#parent = ancestor;
    }
  }

  get length(): number {
    if (this.#length < 0) {
      let n = 0;
      for (const e of this.entries) n += e.variants.length;
      this.#length = n;
    }
    return this.#length;
  }

  /** Exactly the versions held (`==3|==4|==5.1`). */
  get range(): VersionRange {
    if (this.#range === undefined) {
      const versions: Version[] = [];
      let previous = "";
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const v = this.entries[i]!.version;
        if (versions.length > 0 && v.key === previous) continue;
        previous = v.key;
        versions.push(v);
      }
      this.#range = VersionRange.fromSortedVersions(versions);
    }
    return this.#range;
  }

  /** Families every variant requires, sorted by name. */
  get commonFams(): readonly string[] {
    if (this.#commonFams === undefined) this.#computeCommon();
    return this.#commonFams!;
  }

  /** For each common family, the union of the ranges the variants ask for (Rez's extraction). */
  get commonUnions(): readonly VersionRange[] {
    if (this.#commonUnions === undefined) this.#computeCommon();
    return this.#commonUnions!;
  }

  /** The distinct requirement objects the variants hold for a family. */
  requirementsFor(fam: string): readonly Requirement[] {
    const byFam = (this.#requirementsByFam ??= new Map());
    let found = byFam.get(fam);
    if (found === undefined) {
      const list: Requirement[] = [];
      let last: Requirement | undefined;
      for (const entry of this.entries) {
        for (const variant of entry.variants) {
          const own = variant.requires.get(fam);
          if (own === undefined || own === last) continue;
          last = own;
          if (!list.includes(own)) list.push(own);
        }
      }
      found = list;
      byFam.set(fam, found);
    }
    return found;
  }

  /**
   * A family that every variant of a larger set required through one range is
   * required the same way by any subset: those are taken from the parent, the
   * others are found by looking at the variants.
   */
  #computeCommon(): void {
    const entry = this.entries[0]!;
    entry.sort(this.context);
    const first = entry.variants[0]!.requires;
    const fams = first.sortedNames;
    const n = fams.length;
    const unions: VersionRange[] = new Array(n);
    const single: boolean[] = new Array(n).fill(true);
    const scan: number[] = [];
    const parent = this.#parent;
    const parentFams = parent === undefined ? undefined : parent.#commonFams;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const fam = fams[i]!;
      if (parentFams !== undefined) {
        while (p < parentFams.length && parentFams[p]! < fam) p++;
        if (p < parentFams.length && parentFams[p] === fam && parent!.#singleRange![p]) {
          unions[i] = parent!.#commonUnions![p]!;
          continue;
        }
      }
      unions[i] = first.get(fam)!.range!;
      scan.push(i);
    }
    this.#parent = undefined;
    let dropped: boolean[] | null = null;
    if (scan.length > 0) {
      const distinct: VersionRange[][] = scan.map((i) => [unions[i]!]);
      const last = scan.map((i) => unions[i]!);
      let remaining = scan.length;
      outer: for (const e of this.entries) {
        for (const variant of e.variants) {
          const requires = variant.requires;
          if (requires === first) continue;
          for (let k = 0; k < scan.length; k++) {
            if (dropped?.[k]) continue;
            const own = requires.get(fams[scan[k]!]!);
            if (own === undefined || own.conflict) {
              (dropped ??= new Array(scan.length).fill(false))[k] = true;
              if (--remaining === 0) break outer;
              continue;
            }
            const range = own.range!;
            if (range === last[k]) continue;
            last[k] = range;
            const seen = distinct[k]!;
            if (!seen.includes(range)) seen.push(range);
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
    if (dropped === null) {
      this.#commonFams = fams;
      this.#commonUnions = unions;
      this.#singleRange = single;
      return;
    }
    const keep = (i: number) => {
      const k = scan.indexOf(i);
      return k < 0 || !dropped![k];
    };
    this.#commonFams = fams.filter((_, i) => keep(i));
    this.#commonUnions = unions.filter((_, i) => keep(i));
    this.#singleRange = single.filter((_, i) => keep(i));
  }
}

function computeFamRequires(entries: readonly PackageEntry[]): ReadonlySet<string> {
  const fams = new Set<string>();
  for (const entry of entries) {
    for (const variant of entry.variants) {
      for (const r of variant.requires.requirements) fams.add(r.name);
    }
  }
  return fams;
}
