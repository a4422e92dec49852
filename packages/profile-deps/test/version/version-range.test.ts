import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRangeError } from "../../src/errors.js";
import { parseVersionRange } from "../../src/version/parse-version-range.js";
import { parseVersion } from "../../src/version/version.js";
import { VersionRange } from "../../src/version/version-range.js";

const r = parseVersionRange;
const inRange = (range: string, version: string) => r(range).contains(parseVersion(version));

describe("parseVersionRange", () => {
  it.each([
    ["", ["", "1", "2.0", "zzz"], []],
    ["3", ["3", "3.0", "3.1.4", "3.beta"], ["2", "4", "3a", "30"]],
    ["==3", ["3"], ["3.0", "3.1", "2"]],
    ["3+", ["3", "3.0", "10"], ["2.9", ""]],
    [">=3", ["3", "4"], ["2"]],
    [">3", ["3.0", "4"], ["3", "2"]],
    ["<3", ["2.9", "", "1"], ["3", "3.0"]],
    ["<=3", ["3", "2"], ["3.0", "4"]],
    ["1+<5", ["1", "4.9"], ["5", "0.9"]],
    [">=1<5", ["1", "4.9"], ["5"]],
    [">=1,<5", ["1", "4.9"], ["5"]],
    ["<=4,>2", ["2.1", "4"], ["2", "4.1"]],
    ["1..5", ["1", "5"], ["5.0", "0"]],
    ["1.3|5+", ["1.3.0", "6.0.0"], ["1.4", "4"]],
    [">1<=5", ["1.0", "5"], ["1", "5.1"]],
  ] as const)("reads %j", (text, inside, outside) => {
    for (const version of inside) expect(inRange(text, version), `${version} in ${text}`).toBe(true);
    for (const version of outside) expect(inRange(text, version), `${version} not in ${text}`).toBe(false);
  });

  it.each(["4+<2", "<", "+1", "1+2", "3..1", "1,<", ">=1<<5", "foo bar", "1|<"])(
    "rejects %j with an error quoting the text",
    (text) => {
      expect(() => r(text)).toThrow(InvalidRangeError);
      expect(() => r(text)).toThrow(text);
    },
  );

  it.each([
    ["3", "3"],
    ["==3", "==3"],
    ["3+", "3+"],
    [">=3", "3+"],
    ["<=3", "<=3"],
    ["1+<5", "1+<5"],
    [">=1,<5", "1+<5"],
    ["<=4,>2", ">2<=4"],
    ["1..5", "1..5"],
    ["3+<6|4+<8", "3+<8"],
    ["5|1", "1|5"],
    ["1|1.5", "1"],
    ["<3|3+", ""],
    ["1+<2|2+<3", "1+<3"],
    ["|3", ""],
    ["1.2+<1.2_", "1.2"],
  ])("normalises %j to %j", (text, canonical) => {
    expect(r(text).toString()).toBe(canonical);
  });

  it("says the any range is any", () => {
    expect(r("").isAny()).toBe(true);
    expect(r("1|").isAny()).toBe(true);
    expect(r("1").isAny()).toBe(false);
  });
});

describe("range operations", () => {
  it("intersects, unions, inverts and subtracts as Rez does", () => {
    expect(String(r("1+").intersect(r("<3")))).toBe("1+<3");
    expect(r("1").intersect(r("2"))).toBeNull();
    expect(String(r("1").union(r("2")))).toBe("1|2");
    expect(String(r("1+<3").inverse())).toBe("<1|3+");
    expect(r("").inverse()).toBeNull();
    expect(String(r("2+").subtract(r("4+")))).toBe("2+<4");
    expect(r("2").subtract(r(""))).toBeNull();
  });

  it("tests superset and intersection of ranges", () => {
    expect(r("1+").isSuperset(r("2|3"))).toBe(true);
    expect(r("2|3").isSuperset(r("2+"))).toBe(false);
    expect(r("1|3").intersects(r("2+<3.5"))).toBe(true);
    expect(r("1|3").intersects(r("2"))).toBe(false);
  });

  it("builds exact ranges from versions and spans them", () => {
    const range = VersionRange.fromVersions(["5.1", "3", "4", "3"].map(parseVersion));
    expect(String(range)).toBe("==3|==4|==5.1");
    expect(String(range.span())).toBe("3..5.1");
  });

  it("orders ranges by their bounds", () => {
    expect(r("1").compare(r("2"))).toBeLessThan(0);
    expect(r("2").compare(r("2"))).toBe(0);
    expect(r("1+<1_").compare(r("1"))).toBe(0);
    expect(r("1+<2").compare(r("1"))).toBeGreaterThan(0);
  });
});

const tokens = ["0", "1", "2", "3", "10", "a", "b", "rc1", "A", "_"];
const versionArb = fc
  .array(fc.constantFrom(...tokens), { minLength: 0, maxLength: 3 })
  .map((parts) => parts.join("."));
const boundArb = fc.oneof(
  versionArb.filter((x) => x !== "").map((x) => x),
  versionArb.filter((x) => x !== "").map((x) => `==${x}`),
  versionArb.filter((x) => x !== "").map((x) => `${x}+`),
  versionArb.filter((x) => x !== "").map((x) => `>${x}`),
  versionArb.filter((x) => x !== "").map((x) => `<${x}`),
  versionArb.filter((x) => x !== "").map((x) => `<=${x}`),
  fc
    .tuple(
      versionArb.filter((x) => x !== ""),
      versionArb.filter((x) => x !== ""),
    )
    .map(([a, b]) => {
      const [lo, hi] = parseVersion(a).compare(parseVersion(b)) <= 0 ? [a, b] : [b, a];
      return lo === hi || parseVersion(lo).equals(parseVersion(hi)) ? `==${lo}` : `${lo}+<${hi}`;
    }),
);
const rangeArb = fc.array(boundArb, { minLength: 1, maxLength: 3 }).map((parts) => r(parts.join("|")));
const samples = fc.array(versionArb, { minLength: 1, maxLength: 12 });
const has = (range: VersionRange | null, version: string) => range?.contains(parseVersion(version)) === true;

describe("range algebra properties", () => {
  it("intersection holds exactly the versions of both", () => {
    fc.assert(
      fc.property(rangeArb, rangeArb, samples, (a, b, vs) => {
        const c = a.intersect(b);
        for (const x of vs) expect(has(c, x)).toBe(has(a, x) && has(b, x));
        expect(c === null).toBe(!a.intersects(b));
      }),
    );
  });

  it("union holds exactly the versions of either, and is commutative", () => {
    fc.assert(
      fc.property(rangeArb, rangeArb, samples, (a, b, vs) => {
        const c = a.union(b);
        for (const x of vs) expect(has(c, x)).toBe(has(a, x) || has(b, x));
        expect(c.equals(b.union(a))).toBe(true);
      }),
    );
  });

  it("inverse holds exactly the other versions, and inverting twice gives the range back", () => {
    fc.assert(
      fc.property(rangeArb, samples, (a, vs) => {
        const inv = a.inverse();
        for (const x of vs) expect(has(inv, x)).toBe(!has(a, x));
        if (inv !== null) expect(inv.inverse()?.equals(a)).toBe(true);
      }),
    );
  });

  it("obeys De Morgan: not(a or b) = not a and not b", () => {
    fc.assert(
      fc.property(rangeArb, rangeArb, samples, (a, b, vs) => {
        const left = a.union(b).inverse();
        const ia = a.inverse();
        const ib = b.inverse();
        const right = ia === null || ib === null ? null : ia.intersect(ib);
        for (const x of vs) expect(has(left, x)).toBe(has(right, x));
      }),
    );
  });

  it("a superset contains every version of its subset", () => {
    fc.assert(
      fc.property(rangeArb, rangeArb, samples, (a, b, vs) => {
        const u = a.union(b);
        expect(u.isSuperset(a)).toBe(true);
        if (a.isSuperset(b)) for (const x of vs) if (has(b, x)) expect(has(a, x)).toBe(true);
      }),
    );
  });

  it("finds a range meeting a set of exact versions exactly when it holds one of them", () => {
    fc.assert(
      fc.property(rangeArb, fc.array(versionArb, { minLength: 1, maxLength: 20 }), (a, vs) => {
        const exact = VersionRange.fromVersions(vs.map(parseVersion));
        const expected = vs.some((x) => has(a, x));
        expect(a.intersects(exact)).toBe(expected);
        expect(exact.intersects(a)).toBe(expected);
      }),
    );
  });

  it("prints text that parses back to an equal range", () => {
    fc.assert(
      fc.property(rangeArb, (a) => {
        expect(r(a.toString()).equals(a)).toBe(true);
      }),
    );
  });
});
