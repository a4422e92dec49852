import type { PackageVariant } from "../repository/package.js";
import { Requirement } from "../version/requirement.js";
import type { VersionRange } from "../version/version-range.js";
import type { Reduction } from "./failure.js";
import { PackageEntry } from "./package-entry.js";
import type { SliceInfo } from "./slice-info.js";
import type { SolveContext } from "./solve-context.js";

function anyConflicts(
  requirements: readonly Requirement[],
  request: Requirement,
  known: Map<Requirement, boolean> | undefined,
): boolean {
  for (const own of requirements) {
    let conflicts = known?.get(own);
    if (conflicts === undefined) {
      conflicts = own.conflictsWith(request);
      known?.set(own, conflicts);
    }
    if (conflicts) return true;
  }
  return false;
}

/**
 * The variants of one package still possible in a phase (Rez's variant slice),
 * newest version first, and how many of their common dependencies have been
 * extracted. Narrowing a slice gives a new one.
 */
export class VariantSlice {
  readonly name: string;
  readonly info: SliceInfo;
  /** How many of `commonFams` (sorted by name) have been extracted: Rez always extracts the first one left. */
  readonly extractedCount: number;
  #commonCount = -1;

  constructor(name: string, info: SliceInfo, extractedCount = 0) {
    this.name = name;
    this.info = info;
    this.extractedCount = extractedCount;
  }

  get entries(): readonly PackageEntry[] {
    return this.info.entries;
  }

  get context(): SolveContext {
    return this.info.context;
  }

  get length(): number {
    return this.info.length;
  }

  get range(): VersionRange {
    return this.info.range;
  }

  get famRequires(): ReadonlySet<string> {
    return this.info.famRequires;
  }

  get commonFams(): readonly string[] {
    return this.info.facts.common.fams;
  }

  get extractedFams(): readonly string[] {
    return this.commonFams.slice(0, this.extractedCount);
  }

  get extractable(): boolean {
    if (this.#commonCount < 0) this.#commonCount = this.info.facts.common.fams.length;
    return this.extractedCount < this.#commonCount;
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
    const info = this.info;
    if (info.intersectedWith?.has(key)) return this;
    const source = info.entries;
    let kept: PackageEntry[] | null = null;
    for (let i = 0; i < source.length; i++) {
      const entry = source[i]!;
      if (range.contains(entry.version)) {
        if (kept !== null) kept.push(entry);
      } else {
        kept ??= source.slice(0, i);
      }
    }
    if (kept === null) {
      info.markIntersectedWith(key);
      return this;
    }
    if (kept.length === 0) return null;
    const copy = this.#narrowed(kept);
    copy.info.markIntersectedWith(key);
    return copy;
  }

  /** The narrowed slice (this one if nothing conflicts), or the reductions that left nothing. */
  reduceBy(request: Requirement, known?: Map<Requirement, boolean>): VariantSlice | readonly Reduction[] {
    const info = this.info;
    if (request.range === null || !info.famRequires.has(request.name)) return this;
    const name = request.name;
    const facts = info.facts;
    if (!anyConflicts(facts.requirementsFor(name), request, known)) return this;
    if (!facts.isRoot && !anyConflicts(facts.exactRequirementsFor(name), request, known)) return this;
    let lastOwn: Requirement | undefined;
    let lastResult = false;
    const source = info.entries;
    let entries: PackageEntry[] | null = null;
    const reductions: Reduction[] = [];
    for (let e = 0; e < source.length; e++) {
      const entry = source[e]!;
      const variants = entry.variants;
      let kept: PackageVariant[] | null = null;
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[i]!;
        const own = variant.requires.get(name);
        if (own !== undefined && own !== lastOwn) {
          lastOwn = own;
          lastResult = own.conflictsWith(request);
        }
        if (own !== undefined && lastResult) {
          reductions.push({ variant, dependency: own, conflictingRequest: request });
          kept ??= variants.slice(0, i);
        } else if (kept !== null) kept.push(variant);
      }
      if (kept !== null && entries === null) entries = source.slice(0, e);
      if (entries !== null) {
        if (kept === null) entries.push(entry);
        else if (kept.length > 0) entries.push(new PackageEntry(entry.pkg, kept, entry.sorted));
      }
    }
    if (entries === null) return this;
    if (entries.length === 0) return reductions;
    return this.#narrowed(entries);
  }

  /** Takes the alphabetically first common family not yet extracted, as the union of the variants' ranges. */
  extract(): { slice: VariantSlice; request: Requirement | null } {
    const k = this.extractedCount;
    const common = this.info.facts.common;
    if (k >= common.fams.length) return { slice: this, request: null };
    return {
      slice: new VariantSlice(this.name, this.info, k + 1),
      request: Requirement.of(common.fams[k]!, common.unions[k]!),
    };
  }

  /** Splits into a preferred slice whose variants share a dependency, and the rest. */
  split(): [VariantSlice, VariantSlice] {
    const entries = this.entries;
    let fams: Set<string> | null = null;
    if (this.length > 2) {
      fams = new Set();
      for (const r of this.firstVariant.requires.requirements) if (!r.conflict) fams.add(r.name);
      for (const f of this.extractedFams) fams.delete(f);
    }
    if (fams === null || fams.size === 0) {
      entries[0]!.sort(this.context);
      return this.#splitAt(0, 1);
    }
    let previous: [number, number] | null = null;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
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
    const entries = this.entries;
    const parts = entries[i]!.split(n, this.context);
    if (parts !== null) {
      return [
        this.#narrowed([...entries.slice(0, i), parts[0]]),
        this.#narrowed([parts[1], ...entries.slice(i + 1)]),
      ];
    }
    return [this.#narrowed(entries.slice(0, i + 1)), this.#narrowed(entries.slice(i + 1))];
  }

  #narrowed(entries: readonly PackageEntry[]): VariantSlice {
    return new VariantSlice(this.name, this.info.subset(entries));
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
