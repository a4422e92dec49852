import type { PackageVariant } from "../repository/package.js";
import { Requirement } from "../version/requirement.js";
import type { Version } from "../version/version.js";
import { VersionRange } from "../version/version-range.js";
import type { Reduction } from "./failure.js";
import { PackageEntry } from "./package-entry.js";
import type { SolveContext } from "./solve-context.js";

const EMPTY_SET: ReadonlySet<string> = new Set();

/**
 * The variants of one package still possible in a phase (Rez's variant slice),
 * newest version first. Slices are never changed once built, except for caches
 * of work already done; narrowing one gives a new slice.
 */
export class VariantSlice {
  readonly name: string;
  readonly entries: readonly PackageEntry[];
  readonly context: SolveContext;
  extractedFams: ReadonlySet<string> = EMPTY_SET;
  beenReducedBy: Set<Requirement>;
  beenIntersectedWith: Set<string>;
  #length = -1;
  #range: VersionRange | undefined;
  #famRequires: Set<string> | undefined;
  #commonFams: string[] | undefined;

  constructor(name: string, entries: readonly PackageEntry[], context: SolveContext) {
    this.name = name;
    this.entries = entries;
    this.context = context;
    this.beenReducedBy = new Set();
    this.beenIntersectedWith = new Set();
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
    this.#updateFamInfo();
    return this.#famRequires!;
  }

  /** Families every variant requires. */
  get commonFams(): readonly string[] {
    this.#updateFamInfo();
    return this.#commonFams!;
  }

  get extractable(): boolean {
    for (const fam of this.commonFams) if (!this.extractedFams.has(fam)) return true;
    return false;
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
    if (this.beenIntersectedWith.has(key)) return this;
    const entries = this.entries.filter((e) => range.contains(e.version));
    if (entries.length === 0) return null;
    if (entries.length < this.entries.length) {
      const copy = this.#copy(entries);
      copy.beenIntersectedWith.add(key);
      return copy;
    }
    this.beenIntersectedWith.add(key);
    return this;
  }

  /** Removes variants whose requirements conflict with `request`; the slice is null when none is left. */
  reduceBy(request: Requirement): { slice: VariantSlice | null; reductions: Reduction[] } {
    if (request.range === null || !this.famRequires.has(request.name) || this.beenReducedBy.has(request)) {
      return { slice: this, reductions: [] };
    }
    const name = request.name;
    const entries: PackageEntry[] = [];
    const reductions: Reduction[] = [];
    const tests = new Map<Requirement, boolean>();
    for (const entry of this.entries) {
      let kept: PackageVariant[] | null = null;
      const variants = entry.variants;
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]!;
        const own = variant.requires.get(name);
        let conflicts = false;
        if (own !== undefined) {
          let cached = tests.get(own);
          if (cached === undefined) {
            cached = own.conflictsWith(request);
            tests.set(own, cached);
          }
          conflicts = cached;
        }
        if (conflicts) {
          reductions.push({ variant, dependency: own!, conflictingRequest: request });
          if (kept === null) kept = variants.slice(0, i) as PackageVariant[];
        } else if (kept !== null) kept.push(variant);
      }
      if (kept === null) entries.push(entry);
      else if (kept.length > 0) entries.push(new PackageEntry(entry.pkg, kept, entry.sorted));
    }
    if (entries.length === 0) return { slice: null, reductions };
    if (reductions.length > 0) {
      const copy = this.#copy(entries);
      copy.beenReducedBy.add(request);
      return { slice: copy, reductions };
    }
    this.beenReducedBy.add(request);
    return { slice: this, reductions };
  }

  /** Takes the alphabetically first common family not yet extracted, as the union of the variants' ranges. */
  extract(): { slice: VariantSlice; request: Requirement | null } {
    let fam: string | undefined;
    for (const f of this.commonFams) {
      if (!this.extractedFams.has(f) && (fam === undefined || f < fam)) fam = f;
    }
    if (fam === undefined) return { slice: this, request: null };
    const ranges: VersionRange[] = [];
    const seen = new Set<string>();
    let last: VersionRange | null = null;
    for (const entry of this.entries) {
      for (const variant of entry.variants) {
        const range = variant.requires.get(fam)!.range!;
        if (range === last) continue;
        last = range;
        const key = range.key;
        if (seen.has(key)) continue;
        seen.add(key);
        ranges.push(range);
      }
    }
    const slice = this.#shallowCopy();
    const extracted = new Set(this.extractedFams);
    extracted.add(fam);
    slice.extractedFams = extracted;
    const range = ranges.length === 1 ? ranges[0]! : ranges[0]!.union(...ranges.slice(1));
    return { slice, request: Requirement.of(fam, range) };
  }

  /** Splits into a preferred slice whose variants share a dependency, and the rest. */
  split(): [VariantSlice, VariantSlice] {
    let fams: Set<string> | null = null;
    if (this.length > 2) {
      fams = new Set();
      for (const f of this.firstVariant.requires.names) if (!this.extractedFams.has(f)) fams.add(f);
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
        const names = variants[j]!.requires.names;
        for (const f of fams) if (!names.has(f)) fams.delete(f);
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
    const slice = new VariantSlice(this.name, entries, this.context);
    slice.beenReducedBy = new Set(this.beenReducedBy);
    slice.beenIntersectedWith = new Set(this.beenIntersectedWith);
    return slice;
  }

  #shallowCopy(): VariantSlice {
    const slice = new VariantSlice(this.name, this.entries, this.context);
    slice.extractedFams = this.extractedFams;
    slice.beenReducedBy = this.beenReducedBy;
    slice.beenIntersectedWith = this.beenIntersectedWith;
    slice.#length = this.#length;
    slice.#range = this.#range;
    slice.#famRequires = this.#famRequires;
    slice.#commonFams = this.#commonFams;
    return slice;
  }

  #updateFamInfo(): void {
    if (this.#commonFams !== undefined) return;
    const first = this.firstVariant.requires;
    let common = [...first.names];
    const famRequires = new Set<string>();
    for (const entry of this.entries) {
      for (const variant of entry.variants) {
        const requires = variant.requires;
        if (common.length > 0 && requires !== first) common = common.filter((f) => requires.names.has(f));
        for (const f of requires.names) famRequires.add(f);
        for (const f of requires.conflictNames) famRequires.add(f);
      }
    }
    this.#commonFams = common;
    this.#famRequires = famRequires;
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
