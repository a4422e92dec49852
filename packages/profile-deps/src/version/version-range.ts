import {
  ANY_BOUND,
  type Bound,
  boundContainsBound,
  boundIntersection,
  boundsEqual,
  boundsIntersect,
  boundToString,
  compareBounds,
  compareUpper,
  exactBound,
  isAnyBound,
  makeBound,
  versionContainment,
} from "./bound.js";
import { Version } from "./version.js";

const LINEAR_LIMIT = 5;

/**
 * A set of versions: one or more disjoint bounds in ascending order. Immutable;
 * operations return new ranges, or `null` where Rez returns `None` (an empty
 * intersection, the inverse of the any range).
 */
export class VersionRange {
  static readonly any = new VersionRange([ANY_BOUND]);

  readonly bounds: readonly Bound[];
  #text: string | undefined;
  #key: string | undefined;
  /** Ascending version keys when every bound is a single version, else null. */
  #exactKeys: string[] | null | undefined;

  /** @internal Bounds must already be normalised (sorted, disjoint). */
  constructor(bounds: readonly Bound[]) {
    this.bounds = bounds;
  }

  /** The range holding exactly these versions (`==1|==2|==5.1`). */
  static fromVersions(versions: Iterable<Version>): VersionRange {
    const sorted = [...versions].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const bounds: Bound[] = [];
    let previous: string | undefined;
    for (const v of sorted) {
      if (v.key === previous) continue;
      previous = v.key;
      bounds.push(exactBound(v));
    }
    return new VersionRange(bounds);
  }

  /** Like `fromVersions`, for versions already in ascending order without duplicates. */
  static fromSortedVersions(versions: readonly Version[]): VersionRange {
    return new VersionRange(versions.map(exactBound));
  }

  /** `3` means `[3, 3_)`; an operator builds a one-sided or exact range. */
  static fromVersion(version: Version, op?: "==" | ">" | ">=" | "<" | "<="): VersionRange {
    switch (op) {
      case undefined:
        return new VersionRange([makeBound(version, true, version.next(), false)]);
      case "==":
        return new VersionRange([exactBound(version)]);
      case ">":
        return new VersionRange([makeBound(version, false, Version.infinity, true)]);
      case ">=":
        return new VersionRange([makeBound(version, true, Version.infinity, true)]);
      case "<":
        return new VersionRange([makeBound(Version.empty, true, version, false)]);
      case "<=":
        return new VersionRange([makeBound(Version.empty, true, version, true)]);
    }
  }

  /** @internal */
  static fromUnnormalisedBounds(bounds: Bound[]): VersionRange {
    return new VersionRange(unionBounds(bounds));
  }

  /** Whether the range holds every version. */
  isAny(): boolean {
    return this.bounds.length === 1 && isAnyBound(this.bounds[0]!);
  }

  /** Whether the range has a lower bound. */
  lowerBounded(): boolean {
    const first = this.bounds[0]!;
    return !(first.lower.isEmpty && first.lowerInclusive);
  }

  /** Whether the range has an upper bound. */
  upperBounded(): boolean {
    return !this.bounds[this.bounds.length - 1]!.upper.isInfinity;
  }

  /** Whether the range holds a version. */
  contains(version: Version): boolean {
    const bounds = this.bounds;
    if (bounds.length < LINEAR_LIMIT) {
      for (const b of bounds) {
        const c = versionContainment(b, version);
        if (c === 0) return true;
        if (c === -1) return false;
      }
      return false;
    }
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = versionContainment(bounds[mid]!, version);
      if (c === 0) return true;
      if (c === 1) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  /** Whether the two ranges share a version. */
  intersects(other: VersionRange): boolean {
    let small: VersionRange = this;
    let large: VersionRange = other;
    if (small.bounds.length > large.bounds.length) [small, large] = [large, small];
    const a = small.bounds;
    const b = large.bounds;
    if (b.length < LINEAR_LIMIT) {
      for (const x of a) for (const y of b) if (boundsIntersect(x, y)) return true;
      return false;
    }
    const keys = large.#exactVersionKeys();
    if (keys !== null) {
      for (const x of a) if (holdsAnyKey(x, keys)) return true;
      return false;
    }
    let lo = 0;
    for (const x of a) {
      const i = bisectLeft(b, x, lo);
      if (i > 0 && boundsIntersect(b[i - 1]!, x)) return true;
      if (i < b.length && boundsIntersect(b[i]!, x)) return true;
      lo = Math.max(i - 1, 0);
    }
    return false;
  }

  #exactVersionKeys(): string[] | null {
    if (this.#exactKeys === undefined) {
      const keys: string[] = [];
      for (const b of this.bounds) {
        if (!b.lowerInclusive || !b.upperInclusive || b.lower.key !== b.upper.key) {
          this.#exactKeys = null;
          return null;
        }
        keys.push(b.lower.key);
      }
      this.#exactKeys = keys;
    }
    return this.#exactKeys;
  }

  /** Whether every version of `other` is in this range. */
  isSuperset(other: VersionRange): boolean {
    const outer = this.bounds;
    let lo = 0;
    for (const inner of other.bounds) {
      const i = bisectLeft(outer, inner, lo);
      if (i > 0 && boundContainsBound(outer[i - 1]!, inner)) {
        lo = i - 1;
        continue;
      }
      if (i < outer.length && boundContainsBound(outer[i]!, inner)) {
        lo = i;
        continue;
      }
      return false;
    }
    return true;
  }

  /** Whether every version of this range is in the other. */
  isSubset(other: VersionRange): boolean {
    return other.isSuperset(this);
  }

  /** The versions both ranges hold, or null. */
  intersect(other: VersionRange): VersionRange | null {
    if (other === this || other.isAny()) return this;
    if (this.isAny()) return other;
    const result: Bound[] = [];
    for (const a of this.bounds) {
      for (const b of other.bounds) {
        const c = boundIntersection(a, b);
        if (c !== null) result.push(c);
      }
    }
    return result.length === 0 ? null : new VersionRange(result);
  }

  /** The versions any of the ranges hold. */
  union(...others: VersionRange[]): VersionRange {
    const all = [...this.bounds];
    for (const o of others) all.push(...o.bounds);
    return new VersionRange(unionBounds(all));
  }

  /** Every version not in this range, or `null` for the any range. */
  inverse(): VersionRange | null {
    if (this.isAny()) return null;
    const lowers: (Bound | null)[] = [null];
    const uppers: (Bound | null)[] = [];
    for (const b of this.bounds) {
      uppers.push(b.lower.isEmpty && b.lowerInclusive ? null : b);
      lowers.push(b.upper.isInfinity ? null : b);
    }
    uppers.push(null);
    const result: Bound[] = [];
    for (let i = 0; i < lowers.length; i++) {
      const lo = lowers[i]!;
      const up = uppers[i]!;
      if (lo === null && up === null) continue;
      result.push(
        makeBound(
          lo === null ? Version.empty : lo.upper,
          lo === null ? true : !lo.upperInclusive,
          up === null ? Version.infinity : up.lower,
          up === null ? true : !up.lowerInclusive,
        ),
      );
    }
    return new VersionRange(result);
  }

  /** This range without the versions of `other` (Rez's `a - b`). */
  subtract(other: VersionRange): VersionRange | null {
    const inverse = other.inverse();
    return inverse === null ? null : this.intersect(inverse);
  }

  /** The smallest contiguous range holding this one: `2+<4|6+<8` gives `2+<8`. */
  span(): VersionRange {
    const first = this.bounds[0]!;
    const last = this.bounds[this.bounds.length - 1]!;
    return new VersionRange([makeBound(first.lower, first.lowerInclusive, last.upper, last.upperInclusive)]);
  }

  /** Whether the two ranges hold the same versions. */
  equals(other: VersionRange): boolean {
    if (other === this) return true;
    const a = this.bounds;
    const b = other.bounds;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!boundsEqual(a[i]!, b[i]!)) return false;
    return true;
  }

  /** Rez's range order: bound lists compared lexicographically. */
  compare(other: VersionRange): number {
    if (other === this) return 0;
    const a = this.bounds;
    const b = other.bounds;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareBounds(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }

  /** A string equal for equal ranges, for use as a map key. */
  get key(): string {
    if (this.#key === undefined) {
      let k = "";
      for (const b of this.bounds) {
        k += `${b.lowerInclusive ? "[" : "("}${b.lower.key}\u0004${b.upper.key}${b.upperInclusive ? "]" : ")"}`;
      }
      this.#key = k;
    }
    return this.#key;
  }

  /** The range in Rez's syntax. */
  toString(): string {
    if (this.#text === undefined) this.#text = this.bounds.map(boundToString).join("|");
    return this.#text;
  }
}

/** Whether some key of an ascending list lies within the bound. */
function holdsAnyKey(bound: Bound, keys: readonly string[]): boolean {
  const lower = bound.lower.key;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k < lower || (k === lower && !bound.lowerInclusive)) lo = mid + 1;
    else hi = mid;
  }
  if (lo === keys.length) return false;
  const k = keys[lo]!;
  const upper = bound.upper.key;
  return k < upper || (k === upper && bound.upperInclusive);
}

function bisectLeft(bounds: readonly Bound[], target: Bound, lo: number): number {
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBounds(bounds[mid]!, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorts and merges overlapping or touching bounds, exactly as Rez does. */
export function unionBounds(bounds: readonly Bound[]): Bound[] {
  if (bounds.length < 2) return [...bounds];
  const sorted = [...bounds].sort(compareBounds);
  const merged: Bound[] = [];
  let start = sorted[0]!;
  let previous = start;
  let upper = start;
  for (let i = 1; i < sorted.length; i++) {
    const b = sorted[i]!;
    const lk = b.lower.key;
    const uk = upper.upper.key;
    if (lk > uk || (lk === uk && !b.lowerInclusive && !previous.upperInclusive)) {
      merged.push(withUpper(start, upper));
      start = b;
    }
    previous = b;
    if (compareUpper(b, upper) > 0) upper = b;
  }
  merged.push(withUpper(start, upper));
  return merged;
}

function withUpper(lower: Bound, upper: Bound): Bound {
  if (lower === upper) return lower;
  return makeBound(lower.lower, lower.lowerInclusive, upper.upper, upper.upperInclusive);
}
