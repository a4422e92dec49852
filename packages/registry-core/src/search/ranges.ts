import { KEY_CEILING, KEY_MAX } from "../store/index-key.js";
import type { KeyRange } from "../store/registry-store.js";

type Bound = { key: string; inclusive: boolean };

/** The composite-key range a comparison of one index key covers. */
export function rangeFor(op: string, key: string): KeyRange {
  switch (op) {
    case "eq":
      return { lower: { key, inclusive: true }, upper: { key: key + KEY_CEILING, inclusive: false } };
    case "lt":
      return { upper: { key, inclusive: false } };
    case "lte":
      return { upper: { key: key + KEY_CEILING, inclusive: false } };
    case "gt":
      return { lower: { key: key + KEY_CEILING, inclusive: false } };
    case "gte":
      return { lower: { key, inclusive: true } };
    default:
      return { lower: { key, inclusive: true }, upper: { key: key + KEY_MAX, inclusive: true } };
  }
}

/** Every key except those of the given values (`ne`, `nin`): the gaps between their equality ranges. */
export function complementOf(keys: readonly string[]): KeyRange[] {
  const ranges: KeyRange[] = [];
  let lower: Bound | undefined;
  for (const key of [...new Set(keys)].sort()) {
    ranges.push({ ...(lower && { lower }), upper: { key, inclusive: false } });
    lower = { key: key + KEY_CEILING, inclusive: true };
  }
  ranges.push(lower ? { lower } : {});
  return ranges.filter((r) => !isEmpty(r));
}

/** Orders lower bounds; absent is below everything, and inclusive below exclusive at the same key. */
function compareLower(a: Bound | undefined, b: Bound | undefined): number {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return (a.inclusive ? 0 : 1) - (b.inclusive ? 0 : 1);
}

/** Whether `b` (starting no earlier than `a`) overlaps `a` or starts right where it ends. */
function overlapsOrTouches(a: KeyRange, b: KeyRange): boolean {
  if (!a.upper || !b.lower) return true;
  if (a.upper.key > b.lower.key) return true;
  return a.upper.key === b.lower.key && (a.upper.inclusive || b.lower.inclusive);
}

function isEmpty(r: KeyRange): boolean {
  if (!r.lower || !r.upper) return false;
  return (
    r.lower.key > r.upper.key || (r.lower.key === r.upper.key && !(r.lower.inclusive && r.upper.inclusive))
  );
}

/** The union of ranges as sorted, disjoint ranges (what an index walk in order needs). */
export function unionOf(ranges: readonly KeyRange[]): KeyRange[] {
  const sorted = ranges.filter((r) => !isEmpty(r)).sort((a, b) => compareLower(a.lower, b.lower));
  const out: KeyRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && overlapsOrTouches(last, range)) {
      if (
        last.upper &&
        (!range.upper ||
          range.upper.key > last.upper.key ||
          (range.upper.key === last.upper.key && range.upper.inclusive))
      ) {
        if (range.upper) last.upper = range.upper;
        else delete last.upper;
      }
    } else out.push({ ...range });
  }
  return out;
}

export function inRange(key: string, range: KeyRange): boolean {
  if (range.lower && (range.lower.inclusive ? key < range.lower.key : key <= range.lower.key)) return false;
  if (range.upper && (range.upper.inclusive ? key > range.upper.key : key >= range.upper.key)) return false;
  return true;
}
