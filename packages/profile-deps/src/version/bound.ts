import { Version } from "./version.js";

/** One contiguous interval of versions. The open ends are the empty version (inclusive) and infinity. */
export interface Bound {
  readonly lower: Version;
  readonly lowerInclusive: boolean;
  readonly upper: Version;
  readonly upperInclusive: boolean;
}

export const ANY_BOUND: Bound = makeBound(Version.empty, true, Version.infinity, true);

export function makeBound(
  lower: Version,
  lowerInclusive: boolean,
  upper: Version,
  upperInclusive: boolean,
): Bound {
  return { lower, lowerInclusive, upper, upperInclusive };
}

/** The bound holding just `version`; one shared object per version. */
export function exactBound(version: Version): Bound {
  let bound = version.exact as Bound | undefined;
  if (bound === undefined) {
    bound = makeBound(version, true, version, true);
    version.exact = bound;
  }
  return bound;
}

/** Whether lower <= upper with the inclusivity Rez requires of a bound. */
export function isValidBound(b: Bound): boolean {
  const lk = b.lower.key;
  const uk = b.upper.key;
  return lk < uk || (lk === uk && b.lowerInclusive && b.upperInclusive);
}

/** Lower ends: by version, then inclusive before exclusive. */
export function compareLower(a: Bound, b: Bound): number {
  const ak = a.lower.key;
  const bk = b.lower.key;
  if (ak !== bk) return ak < bk ? -1 : 1;
  if (a.lowerInclusive === b.lowerInclusive) return 0;
  return a.lowerInclusive ? -1 : 1;
}

/** Upper ends: by version, then exclusive before inclusive. */
export function compareUpper(a: Bound, b: Bound): number {
  const ak = a.upper.key;
  const bk = b.upper.key;
  if (ak !== bk) return ak < bk ? -1 : 1;
  if (a.upperInclusive === b.upperInclusive) return 0;
  return a.upperInclusive ? 1 : -1;
}

export function compareBounds(a: Bound, b: Bound): number {
  return compareLower(a, b) || compareUpper(a, b);
}

export function boundsEqual(a: Bound, b: Bound): boolean {
  return (
    a.lower.key === b.lower.key &&
    a.lowerInclusive === b.lowerInclusive &&
    a.upper.key === b.upper.key &&
    a.upperInclusive === b.upperInclusive
  );
}

/** -1 below the bound, 0 inside, 1 above. */
export function versionContainment(b: Bound, version: Version): -1 | 0 | 1 {
  const k = version.key;
  const lk = b.lower.key;
  if (k < lk || (k === lk && !b.lowerInclusive)) return -1;
  const uk = b.upper.key;
  if (k > uk || (k === uk && !b.upperInclusive)) return 1;
  return 0;
}

export function boundContains(b: Bound, version: Version): boolean {
  return versionContainment(b, version) === 0;
}

export function boundContainsBound(outer: Bound, inner: Bound): boolean {
  return compareLower(outer, inner) <= 0 && compareUpper(outer, inner) >= 0;
}

export function boundsIntersect(a: Bound, b: Bound): boolean {
  const lower = compareLower(a, b) >= 0 ? a : b;
  const upper = compareUpper(a, b) <= 0 ? a : b;
  const lk = lower.lower.key;
  const uk = upper.upper.key;
  return lk < uk || (lk === uk && lower.lowerInclusive && upper.upperInclusive);
}

export function boundIntersection(a: Bound, b: Bound): Bound | null {
  const lower = compareLower(a, b) >= 0 ? a : b;
  const upper = compareUpper(a, b) <= 0 ? a : b;
  const lk = lower.lower.key;
  const uk = upper.upper.key;
  if (lk < uk || (lk === uk && lower.lowerInclusive && upper.upperInclusive)) {
    if (lower === upper) return lower;
    return makeBound(lower.lower, lower.lowerInclusive, upper.upper, upper.upperInclusive);
  }
  return null;
}

export function isAnyBound(b: Bound): boolean {
  return b.lower.isEmpty && b.lowerInclusive && b.upper.isInfinity;
}

function lowerToString(b: Bound): string {
  if (!b.lower.isEmpty) return b.lowerInclusive ? `${b.lower.text}+` : `>${b.lower.text}`;
  return b.lowerInclusive ? "" : ">";
}

function upperToString(b: Bound): string {
  return b.upperInclusive ? `<=${b.upper.text}` : `<${b.upper.text}`;
}

/** Rez's canonical text of a bound: `3`, `==3`, `3+`, `>3`, `<3`, `<=3`, `1+<5`, `1..5`. */
export function boundToString(b: Bound): string {
  if (b.upper.isInfinity) return lowerToString(b);
  if (b.lower.key === b.upper.key) return `==${b.lower.text}`;
  if (b.lowerInclusive && b.upperInclusive) {
    return b.lower.isEmpty ? `<=${b.upper.text}` : `${b.lower.text}..${b.upper.text}`;
  }
  if (b.lowerInclusive && !b.upperInclusive && b.lower.next().key === b.upper.key) return b.lower.text;
  return lowerToString(b) + upperToString(b);
}
