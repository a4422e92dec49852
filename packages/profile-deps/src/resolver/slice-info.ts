import type { Requirement } from "../version/requirement.js";
import type { Version } from "../version/version.js";
import { VersionRange } from "../version/version-range.js";
import type { PackageEntry } from "./package-entry.js";
import type { SolveContext } from "./solve-context.js";
import type { VariantFacts } from "./variant-facts.js";

/**
 * What a solve knows about a set of variants, shared by every slice holding
 * exactly that set (shallow copies, and slices built for the same family range
 * in different phases).
 */
export class SliceInfo {
  readonly entries: readonly PackageEntry[];
  readonly context: SolveContext;
  readonly facts: VariantFacts;
  /** Whether a requirement conflicts with these exact versions, per requirement asked about. */
  readonly conflicts = new Map<Requirement, boolean>();
  /** Ranges (by key) known not to narrow these variants. */
  intersectedWith: Set<string> | null = null;
  #length = -1;
  #range: VersionRange | undefined;

  constructor(entries: readonly PackageEntry[], context: SolveContext, facts: VariantFacts) {
    this.entries = entries;
    this.context = context;
    this.facts = facts;
  }

  markIntersectedWith(rangeKey: string): void {
    this.intersectedWith ??= new Set();
    this.intersectedWith.add(rangeKey);
  }

  /** Info for a subset of these variants. */
  subset(entries: readonly PackageEntry[]): SliceInfo {
    return new SliceInfo(entries, this.context, this.facts.subset(entries));
  }

  get famRequires(): ReadonlySet<string> {
    return this.facts.famRequires;
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
}
