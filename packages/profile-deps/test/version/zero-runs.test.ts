import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatResolvedPackage } from "../../src/resolver/format.js";
import { resolve } from "../../src/resolver/resolve.js";
import { parseVersionRange } from "../../src/version/parse-version-range.js";
import { compareVersions, parseVersion } from "../../src/version/version.js";
import { repositoryOf } from "../resolver/fixtures.js";

const v = parseVersion;
const cmp = (a: string, b: string) => compareVersions(v(a), v(b));

/**
 * Rez's rule, written out independently of the key encoding: tokens compare as
 * lists of sub-tokens; an alpha sub-token is below a numeric one; alphas compare
 * as text; numerics compare as (value, text). A shorter list that prefixes a
 * longer one is smaller.
 */
function rezCompare(a: string, b: string): number {
  const subtokens = (token: string) => token.match(/[0-9]+|[^0-9]+/g) ?? [];
  const compareSub = (x: string, y: string): number => {
    const xn = /^[0-9]/.test(x);
    const yn = /^[0-9]/.test(y);
    if (xn !== yn) return xn ? 1 : -1;
    if (xn) {
      const dx = BigInt(x);
      const dy = BigInt(y);
      if (dx !== dy) return dx < dy ? -1 : 1;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const compareLists = <T>(xs: T[], ys: T[], each: (x: T, y: T) => number): number => {
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const c = each(xs[i]!, ys[i]!);
      if (c !== 0) return c;
    }
    return Math.sign(xs.length - ys.length);
  };
  const tokens = (text: string) => (text === "" ? [] : text.split(/[.-]/));
  return compareLists(tokens(a), tokens(b), (x, y) => compareLists(subtokens(x), subtokens(y), compareSub));
}

describe("runs of zeros (Rez: equal value, then string order)", () => {
  it("orders 0 < 00 < 000, and 1.0 < 1.00 < 1.000", () => {
    expect(cmp("0", "00")).toBe(-1);
    expect(cmp("00", "000")).toBe(-1);
    expect(cmp("0", "000")).toBe(-1);
    expect(cmp("1.0", "1.00")).toBe(-1);
    expect(cmp("1.00", "1.000")).toBe(-1);
    expect(v("1.0").equals(v("1.00"))).toBe(false);
  });

  it("keeps leading zeros of non-zero numbers below the plain number: 001 < 01 < 1", () => {
    expect(cmp("001", "01")).toBe(-1);
    expect(cmp("01", "1")).toBe(-1);
    expect(cmp("000", "1")).toBe(-1);
    expect(cmp("0a", "00a")).toBe(-1);
  });

  it("leaves 00 outside <=0 and inside >0", () => {
    expect(parseVersionRange("<=0").contains(v("00"))).toBe(false);
    expect(parseVersionRange(">0").contains(v("00"))).toBe(true);
    expect(parseVersionRange("0").contains(v("00"))).toBe(false);
  });

  it("accepts 0+<00 as a valid range holding 0 only", () => {
    const range = parseVersionRange("0+<00");
    expect(range.contains(v("0"))).toBe(true);
    expect(range.contains(v("00"))).toBe(false);
    expect(String(range)).toBe("0+<00");
  });

  it("resolves a bare request for zpad to zpad-1.000, the highest", async () => {
    const repository = repositoryOf({ zpad: { "1.0": {}, "1.000": {}, "1.00": {} } });
    const result = await resolve(["zpad"], repository);
    expect(result.status).toBe("solved");
    if (result.status === "solved")
      expect(result.packages.map(formatResolvedPackage)).toEqual(["zpad-1.000[]"]);
  });

  it("orders the benchmark's zero-run versions as Rez does: bell-0.36.00 above 0.36.0", () => {
    expect(cmp("0.36.0", "0.36.00")).toBe(-1);
    expect(cmp("0.36.00", "0.36.1")).toBe(-1);
    expect(cmp("0.06.00", "0.6.0")).toBe(-1);
  });
});

const zeroHeavyToken = fc.oneof(
  fc.stringMatching(/^0{1,4}$/),
  fc.stringMatching(/^0{0,2}[0-9]{1,2}$/),
  fc.stringMatching(/^0{0,2}[0-9]?[a-c_]{0,2}0{0,2}$/).filter((t) => t !== ""),
);
const zeroHeavyVersion = fc
  .array(fc.tuple(zeroHeavyToken, fc.constantFrom(".", "-")), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([t, sep], i) => (i === 0 ? t : sep + t)).join(""));

describe("zero-run ordering properties", () => {
  it("agrees with Rez's sub-token rule on every pair", () => {
    fc.assert(
      fc.property(zeroHeavyVersion, zeroHeavyVersion, (a, b) => {
        expect(cmp(a, b)).toBe(rezCompare(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("is a total order: antisymmetric, and equal only for the same tokens", () => {
    fc.assert(
      fc.property(zeroHeavyVersion, zeroHeavyVersion, (a, b) => {
        expect(cmp(a, b) + cmp(b, a)).toBe(0);
        expect(cmp(a, b) === 0).toBe(a.replaceAll("-", ".") === b.replaceAll("-", "."));
      }),
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(zeroHeavyVersion, zeroHeavyVersion, zeroHeavyVersion, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(cmp) as [string, string, string];
        expect(cmp(x, y)).toBeLessThanOrEqual(0);
        expect(cmp(y, z)).toBeLessThanOrEqual(0);
        expect(cmp(x, z)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("is consistent with range containment: lo+<hi holds x exactly when lo <= x < hi", () => {
    fc.assert(
      fc.property(zeroHeavyVersion, zeroHeavyVersion, zeroHeavyVersion, (a, b, x) => {
        const [lo, hi] = cmp(a, b) <= 0 ? [a, b] : [b, a];
        expect(parseVersionRange(`<=${hi}`).contains(v(x))).toBe(cmp(x, hi) <= 0);
        expect(parseVersionRange(`>${lo}`).contains(v(x))).toBe(cmp(x, lo) > 0);
        if (cmp(lo, hi) === 0) return;
        expect(parseVersionRange(`${lo}+<${hi}`).contains(v(x))).toBe(cmp(lo, x) <= 0 && cmp(x, hi) < 0);
      }),
      { numRuns: 1000 },
    );
  });
});
