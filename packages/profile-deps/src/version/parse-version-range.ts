import { InvalidRangeError, InvalidVersionError } from "../errors.js";
import { type Bound, isValidBound, makeBound } from "./bound.js";
import { parseVersion, Version } from "./version.js";
import { VersionRange } from "./version-range.js";

const V = "[0-9a-zA-Z_]+(?:[.-][0-9a-zA-Z_]+)*";

/*
 * Rez's range grammar, one regular expression per form, tried in Rez's order.
 * Rez's conditional groups are spelled out as alternatives.
 */
const VERSION = new RegExp(`^(${V})$`);
const EXACT = new RegExp(`^==(${V})?$`);
const INCLUSIVE = new RegExp(`^(${V})?\\.\\.(${V})?$`);
const LOWER = new RegExp(`^(?:(>|>=)(${V})?|(${V})?\\+)$`);
const UPPER = new RegExp(`^(<(?=${V})|<=)?(${V})?$`);
const ASCENDING = new RegExp(`^(?:(>|>=)(${V}),?|(>|>=)|(${V})\\+?,?|(\\+?))(<(?=${V})|<=)(${V})?$`);
const DESCENDING = new RegExp(`^(?:(<|<=)(${V}),|(${V})(\\+?),|(<|<=)|(\\+?))(<(?=${V})|>=?)(${V})?$`);

const version = (text: string | undefined): Version =>
  text === undefined ? Version.empty : parseVersion(text);

function parsePart(part: string, whole: string): Bound {
  let m = VERSION.exec(part);
  if (m) {
    const v = version(m[1]);
    return makeBound(v, true, v.next(), false);
  }
  m = EXACT.exec(part);
  if (m) {
    const v = version(m[1]);
    return checked(makeBound(v, true, v, true), whole);
  }
  m = INCLUSIVE.exec(part);
  if (m) return checked(makeBound(version(m[1]), true, version(m[2]), true), whole);
  m = LOWER.exec(part);
  if (m) {
    if (m[1] !== undefined) return makeBound(version(m[2]), m[1] !== ">", Version.infinity, true);
    return makeBound(version(m[3]), true, Version.infinity, true);
  }
  m = UPPER.exec(part);
  if (m) return checked(makeBound(Version.empty, true, version(m[2]), m[1] !== "<"), whole);
  m = ASCENDING.exec(part);
  if (m) {
    let lower = Version.empty;
    let lowerInclusive = true;
    if (m[1] !== undefined) {
      lower = version(m[2]);
      lowerInclusive = m[1] !== ">";
    } else if (m[3] !== undefined) {
      lowerInclusive = m[3] !== ">";
    } else if (m[4] !== undefined) {
      lower = version(m[4]);
    }
    return checked(makeBound(lower, lowerInclusive, version(m[7]), m[6] !== "<"), whole);
  }
  m = DESCENDING.exec(part);
  if (m) {
    let upper = Version.infinity;
    let upperInclusive = true;
    if (m[1] !== undefined) {
      upper = version(m[2]);
      upperInclusive = m[1] !== "<";
    } else if (m[3] !== undefined) {
      upper = version(m[3]);
    } else if (m[5] !== undefined) {
      upper = Version.empty;
      upperInclusive = m[5] !== "<";
    } else if (m[6] !== undefined && m[6] !== "") {
      upper = Version.empty;
    }
    if (upper.isEmpty && !upperInclusive)
      throw new InvalidRangeError(whole, "an upper bound needs a version");
    return checked(makeBound(version(m[8]), m[7] !== ">", upper, upperInclusive), whole);
  }
  throw new InvalidRangeError(whole, `syntax error in '${part}'`);
}

function checked(bound: Bound, whole: string): Bound {
  if (!isValidBound(bound)) {
    throw new InvalidRangeError(
      whole,
      `lower bound ${bound.lower.text || "''"} is above upper bound ${bound.upper.text || "''"}`,
    );
  }
  return bound;
}

const cache = new Map<string, VersionRange>();
const CACHE_LIMIT = 100_000;

/**
 * Parses every Rez range form: `""`, `3`, `==3`, `3+`, `>=3`, `>3`, `<3`, `<=3`,
 * `1+<5`, `>=1<5`, `>=1,<5`, `<=4,>2`, `1..5`, and `|` unions, which are
 * normalised. Throws `InvalidRangeError` quoting the text.
 */
export function parseVersionRange(text: string): VersionRange {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  let range: VersionRange;
  try {
    range = buildRange(text);
  } catch (error) {
    if (error instanceof InvalidVersionError)
      throw new InvalidRangeError(text, error.message, { cause: error });
    throw error;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, range);
  return range;
}

function buildRange(text: string): VersionRange {
  const bounds: Bound[] = [];
  let any = false;
  for (const part of text.split("|")) {
    if (part === "") {
      any = true;
      continue;
    }
    const bound = parsePart(part, text);
    if (!any) bounds.push(bound);
  }
  if (any || bounds.length === 0) return VersionRange.any;
  return VersionRange.fromUnnormalisedBounds(bounds);
}
