import type { PackageVariant } from "../repository/package.js";
import type { RequirementList } from "../version/requirement-list.js";
import type { VersionRange } from "../version/version-range.js";
import { VariantSelectMode } from "./types.js";

interface RequestedPart {
  readonly position: number;
  readonly range: VersionRange | null;
}

interface AdditionalPart {
  readonly range: VersionRange | null;
  readonly name: string;
}

interface VariantKey {
  readonly requested: readonly RequestedPart[];
  readonly additional: readonly AdditionalPart[];
  readonly index: number;
}

function variantKey(variant: PackageVariant, request: RequirementList): VariantKey {
  const requires = variant.requires;
  const requested: RequestedPart[] = [];
  const names = new Set<string>();
  const requests = request.requirements;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    if (r.conflict) continue;
    const own = requires.get(r.name);
    if (own !== undefined) {
      requested.push({ position: i, range: own.range });
      names.add(own.name);
    }
  }
  const additional: AdditionalPart[] = [];
  for (const r of requires.requirements) {
    if (!r.conflict && !names.has(r.name)) additional.push({ range: r.range, name: r.name });
  }
  return { requested, additional, index: variant.index || -1 };
}

function compareRanges(a: VersionRange | null, b: VersionRange | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a.compare(b);
}

function compareRequested(a: readonly RequestedPart[], b: readonly RequestedPart[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.position !== y.position) return x.position > y.position ? -1 : 1;
    const c = compareRanges(x.range, y.range);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareAdditional(a: readonly AdditionalPart[], b: readonly AdditionalPart[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k]!;
    const y = b[k]!;
    const c = compareRanges(x.range, y.range);
    if (c !== 0) return c;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  }
  return a.length - b.length;
}

/** Ascending comparison of Rez's variant sort keys; variants are then taken highest first. */
function compareKeys(a: VariantKey, b: VariantKey, mode: VariantSelectMode): number {
  if (mode === VariantSelectMode.intersectionPriority && a.requested.length !== b.requested.length) {
    return a.requested.length - b.requested.length;
  }
  return (
    compareRequested(a.requested, b.requested) ||
    b.additional.length - a.additional.length ||
    compareAdditional(a.additional, b.additional) ||
    a.index - b.index
  );
}

/**
 * Orders a package's variants from most to least preferred for a request, as Rez:
 * highest versions of the packages the request names (in request order), then
 * fewest additional packages, then their highest versions and names, then index.
 * `intersection_priority` first prefers variants sharing more packages with the request.
 */
export function orderVariants(
  variants: readonly PackageVariant[],
  request: RequirementList,
  mode: VariantSelectMode,
): PackageVariant[] {
  const keyed = variants.map((variant) => ({ variant, key: variantKey(variant, request) }));
  keyed.sort((x, y) => compareKeys(y.key, x.key, mode));
  return keyed.map((k) => k.variant);
}
