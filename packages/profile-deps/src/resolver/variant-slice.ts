import type { PackageVariant } from "../repository/package.js";
import { Requirement } from "../version/requirement.js";
import type { Version } from "../version/version.js";
import { VersionRange } from "../version/version-range.js";
import type { Reduction } from "./failure.js";
import { PackageEntry } from "./package-entry.js";
import type { SolveContext } from "./solve-context.js";

const NO_REDUCTIONS: Reduction[] = [];

/**
 * The variants of one package still possible in a phase (Rez's variant slice),
 * newest version first. Slices are never changed once built, except for caches
 * of work already done; narrowing one gives a new slice.
 */
export class VariantSlice {
  readonly name: string;
  readonly entries: readonly PackageEntry[];
  readonly context: SolveContext;
  /** How many of `commonFams` (sorted by name) have been extracted: Rez always extracts the first one left. */
  extractedCount = 0;
  /** Requests already known not to reduce this slice; shared with shallow copies (same variants). */
  beenReducedBy: Set<Requirement> | null = null;
  /** Ranges (by key) already known not to narrow this slice. */
  beenIntersectedWith: Set<string> | null = null;
  #length = -1;
  #range: VersionRange | undefined;
  readonly #famRequires: ReadonlySet<string>;
  #commonFams: string[] | undefined;
  #commonRanges: VersionRange[][] | undefined;
  /** Per family, the distinct requirement objects the variants hold; shared with shallow copies. */
  #requirementsByFam: Map<string, Requirement[]> | undefined;

  /**
   * `famRequires` may be inherited from a slice holding these variants and more:
   * a superset only costs reductions that find nothing to remove.
   */
  constructor(
    name: string,
    entries: readonly PackageEntry[],
    context: SolveContext,
    famRequires?: ReadonlySet<string>,
  ) {
    this.name = name;
    this.entries = entries;
    this.context = context;
    this.#famRequires = famRequires ?? this.#computeFamRequires();
  }

  get length(): number {
    if (this.#length < 0) {
      let n = 0;
      for (const e of this.entries) n += e.variants.length;
      this.#length = n;
    }
    return this.#length;
  }

  /** Exactly the versions in the slice (`==3|==4|==5.1`). */
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

  /** Families some variant requires or conflicts with. */
  get famRequires(): ReadonlySet<string> {
    return this.#famRequires;
  }

  /** Computed once per freshly built slice and registered with the solve, so reductions can find dependents. */
  #computeFamRequires(): ReadonlySet<string> {
    const fams = new Set<string>();
    for (const entry of this.entries) {
      for (const variant of entry.variants) {
        for (const r of variant.requires.requirements) fams.add(r.name);
      }
    }
    this.context.registerDependent(this.name, fams);
    return fams;
  }

  /** Families every variant requires, sorted by name. */
  get commonFams(): readonly string[] {
    this.#updateCommonFams();
    return this.#commonFams!;
  }

  get extractedFams(): readonly string[] {
    return this.commonFams.slice(0, this.extractedCount);
  }

  get extractable(): boolean {
    return this.extractedCount < this.commonFams.length;
  }

  get firstVariant(): PackageVariant {
    const entry = this.entries[0]!;
    entry.sort(this.context);
    return entry.variants[0]!;
  }

  /** Keeps the variants whose version is in `range`; null when none is left. */
  intersect(range: VersionRange): VariantSlice | null {
    if (range.isAny()) return this;
    const key = range.key;
    if (this.beenIntersectedWith?.has(key)) return this;
    let kept = 0;
    for (const e of this.entries) if (range.contains(e.version)) kept++;
    if (kept === 0) return null;
    if (kept < this.entries.length) {
      const entries = this.entries.filter((e) => range.contains(e.version));
      const copy = this.#copy(entries);
      copy.beenIntersectedWith = new Set([key]);
      return copy;
    }
    (this.beenIntersectedWith ??= new Set()).add(key);
    return this;
  }

  /** Removes variants whose requirements conflict with `request`; the slice is null when none is left. */
  reduceBy(request: Requirement): { slice: VariantSlice | null; reductions: Reduction[] } {
    if (request.range === null || !this.famRequires.has(request.name) || this.beenReducedBy?.has(request)) {
      return { slice: this, reductions: NO_REDUCTIONS };
    }
    const name = request.name;
    if (!this.#requirementsFor(name).some((own) => own.conflictsWith(request))) {
      (this.beenReducedBy ??= new Set()).add(request);
      return { slice: this, reductions: NO_REDUCTIONS };
    }
    let lastOwn: Requirement | undefined;
    let lastResult = false;
    const conflicts = (variant: PackageVariant): Requirement | undefined => {
      const own = variant.requires.get(name);
      if (own === undefined) return undefined;
      if (own !== lastOwn) {
        lastOwn = own;
        lastResult = own.conflictsWith(request);
      }
      return lastResult ? own : undefined;
    };
    let entries: PackageEntry[] | null = null;
    let reductions: Reduction[] | null = null;
    for (let e = 0; e < this.entries.length; e++) {
      const entry = this.entries[e]!;
      const variants = entry.variants;
      let kept: PackageVariant[] | null = null;
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]!;
        const dependency = conflicts(variant);
        if (dependency !== undefined) {
          (reductions ??= []).push({ variant, dependency, conflictingRequest: request });
          kept ??= variants.slice(0, i);
        } else if (kept !== null) kept.push(variant);
      }
      if (kept !== null && entries === null) entries = this.entries.slice(0, e);
      if (entries !== null) {
        if (kept === null) entries.push(entry);
        else if (kept.length > 0) entries.push(new PackageEntry(entry.pkg, kept, entry.sorted));
      }
    }
    if (reductions === null) {
      (this.beenReducedBy ??= new Set()).add(request);
      return { slice: this, reductions: NO_REDUCTIONS };
    }
    if (entries!.length === 0) return { slice: null, reductions };
    const copy = this.#copy(entries!);
    copy.beenReducedBy = new Set([request]);
    return { slice: copy, reductions };
  }

  #requirementsFor(fam: string): readonly Requirement[] {
    const byFam = (this.#requirementsByFam ??= new Map());
    let found = byFam.get(fam);
    if (found === undefined) {
      found = [];
      let last: Requirement | undefined;
      for (const entry of this.entries) {
        for (const variant of entry.variants) {
          const own = variant.requires.get(fam);
          if (own === undefined || own === last) continue;
          last = own;
          if (!found.includes(own)) found.push(own);
        }
      }
      byFam.set(fam, found);
    }
    return found;
  }

  /** Takes the alphabetically first common family not yet extracted, as the union of the variants' ranges. */
  extract(): { slice: VariantSlice; request: Requirement | null } {
    this.#updateCommonFams();
    const k = this.extractedCount;
    if (k >= this.#commonFams!.length) return { slice: this, request: null };
    const fam = this.#commonFams![k]!;
    const ranges = this.#commonRanges![k]!;
    const slice = this.#shallowCopy();
    slice.extractedCount = k + 1;
    const range = ranges.length === 1 ? ranges[0]! : ranges[0]!.union(...ranges.slice(1));
    return { slice, request: Requirement.of(fam, range) };
  }

  /** Splits into a preferred slice whose variants share a dependency, and the rest. */
  split(): [VariantSlice, VariantSlice] {
    let fams: Set<string> | null = null;
    if (this.length > 2) {
      fams = new Set();
      for (const r of this.firstVariant.requires.requirements) if (!r.conflict) fams.add(r.name);
      for (const f of this.extractedFams) fams.delete(f);
    }
    if (fams === null || fams.size === 0) {
      this.entries[0]!.sort(this.context);
      return this.#splitAt(0, 1);
    }
    let previous: [number, number] | null = null;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      entry.sort(this.context);
      const variants = entry.variants;
      for (let j = 0; j < variants.length; j++) {
        const requires = variants[j]!.requires;
        for (const f of fams) if (!requires.requires(f)) fams.delete(f);
        if (fams.size === 0) return this.#splitAt(previous![0], previous![1]);
        previous = [i, j + 1];
      }
    }
    throw new Error(`Unexpected solver state: common families still in slice being split: ${this.name}`);
  }

  #splitAt(i: number, n: number): [VariantSlice, VariantSlice] {
    const parts = this.entries[i]!.split(n, this.context);
    let first: PackageEntry[];
    let rest: PackageEntry[];
    if (parts !== null) {
      first = [...this.entries.slice(0, i), parts[0]];
      rest = [parts[1], ...this.entries.slice(i + 1)];
    } else {
      first = this.entries.slice(0, i + 1);
      rest = this.entries.slice(i + 1);
    }
    return [this.#copy(first), this.#copy(rest)];
  }

  #copy(entries: readonly PackageEntry[]): VariantSlice {
    return new VariantSlice(this.name, entries, this.context, this.#famRequires);
  }

  #shallowCopy(): VariantSlice {
    const slice = new VariantSlice(this.name, this.entries, this.context, this.#famRequires);
    slice.extractedCount = this.extractedCount;
    slice.beenReducedBy = this.beenReducedBy;
    slice.beenIntersectedWith = this.beenIntersectedWith;
    slice.#length = this.#length;
    slice.#range = this.#range;
    slice.#commonFams = this.#commonFams;
    slice.#commonRanges = this.#commonRanges;
    slice.#requirementsByFam = this.#requirementsByFam ??= new Map();
    return slice;
  }

  /** Common families (sorted) and, for each, the distinct ranges the variants ask for, in one pass. */
  #updateCommonFams(): void {
    if (this.#commonFams !== undefined) return;
    const first = this.firstVariant.requires;
    let fams: string[] = [];
    for (const r of first.requirements) if (!r.conflict) fams.push(r.name);
    fams.sort();
    let ranges = fams.map((f) => [first.get(f)!.range!]);
    let last = ranges.map((r) => r[0]!);
    for (const entry of this.entries) {
      for (const variant of entry.variants) {
        const requires = variant.requires;
        if (requires === first) continue;
        let dropped = false;
        for (let i = 0; i < fams.length; i++) {
          const own = requires.get(fams[i]!);
          if (own === undefined || own.conflict) {
            dropped = true;
            last[i] = null as unknown as VersionRange;
            continue;
          }
          const range = own.range!;
          if (range === last[i]) continue;
          last[i] = range;
          const distinct = ranges[i]!;
          if (!distinct.includes(range)) distinct.push(range);
        }
        if (dropped) {
          const keep = last.map((r) => r !== null);
          fams = fams.filter((_, i) => keep[i]);
          ranges = ranges.filter((_, i) => keep[i]);
          last = last.filter((_, i) => keep[i]);
          if (fams.length === 0) break;
        }
      }
      if (fams.length === 0) break;
    }
    this.#commonFams = fams;
    this.#commonRanges = ranges;
  }

  /** Rez's debug form: `foo[2..6(3:4)]*`, `[foo==2[1,2]]`, `[foo==2[0]]`. */
  toString(): string {
    const n = this.length;
    let s: string;
    if (n === 1) {
      const v = this.firstVariant;
      s = `[${this.name}==${v.version.text}${v.index === null ? "" : `[${v.index}]`}]`;
    } else if (this.entries.length === 1) {
      const entry = this.entries[0]!;
      const indexes = entry.variants.map((v) => v.index ?? -1).sort((a, b) => a - b);
      s = `[${this.name}==${entry.version.text}[${indexes.join(",")}]]`;
    } else {
      const counts = this.entries.length === n ? `${n}` : `${this.entries.length}:${n}`;
      s = `${this.name}[${this.range.span()}(${counts})]`;
    }
    return this.extractable ? `${s}*` : s;
  }
}
