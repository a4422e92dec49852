import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidVersionError } from "../../src/errors.js";
import { compareVersions, parseVersion, Version } from "../../src/version/version.js";

const v = parseVersion;
const lt = (a: string, b: string) => compareVersions(v(a), v(b)) < 0;

describe("parseVersion", () => {
  it("accepts Rez's documented version strings", () => {
    for (const text of ["1", "1.0.0", "3.2.build_13", "4.rc1", "10a-5", "2022.sp1", "_"]) {
      expect(v(text).text).toBe(text);
    }
  });

  it("treats the empty string as the empty version, lowest of all", () => {
    expect(v("").isEmpty).toBe(true);
    expect(lt("", "0")).toBe(true);
    expect(lt("", "_")).toBe(true);
  });

  it.each(["1..2", ".1", "1.", "1-", "1 2", "1+2", "a/b", "1.2.", "--"])(
    "rejects %j with InvalidVersionError",
    (text) => {
      expect(() => v(text)).toThrow(InvalidVersionError);
    },
  );

  it("quotes the text in the error", () => {
    expect(() => v("1..2")).toThrow(/'1\.\.2'/);
  });
});

describe("version ordering", () => {
  it.each([
    ["0", "1"],
    ["a", "b"],
    ["a", "3"],
    ["_5", "2"],
    ["ham", "hamster"],
    ["alpha", "beta"],
    ["alpha", "bob"],
    ["02", "2"],
    ["002", "02"],
    ["13", "043"],
    ["3", "3a"],
    ["beta3", "3beta"],
  ])("orders Rez's documented token pair %s < %s", (smaller, larger) => {
    expect(lt(smaller, larger)).toBe(true);
    expect(lt(larger, smaller)).toBe(false);
  });

  it("orders alpha runs by ASCII, so A..Z < _ < a..z (Rez's code, not its docs table)", () => {
    expect(lt("A", "_")).toBe(true);
    expect(lt("Z", "_")).toBe(true);
    expect(lt("_", "a")).toBe(true);
    expect(lt("A", "a")).toBe(true);
  });

  it("puts a shorter prefix first: 1 < 1.0 < 1.0.0 < 1.1", () => {
    expect(lt("1", "1.0")).toBe(true);
    expect(lt("1.0", "1.0.0")).toBe(true);
    expect(lt("1.0.0", "1.1")).toBe(true);
    expect(lt("1.9", "1.10")).toBe(true);
  });

  it("ignores the separator: 1.0.0 equals 1-0.0 but keeps its text", () => {
    expect(v("1.0.0").equals(v("1-0.0"))).toBe(true);
    expect(v("1-0.0").text).toBe("1-0.0");
  });

  it("compares alternating alpha and numeric runs inside a token", () => {
    expect(lt("1a", "1b")).toBe(true);
    expect(lt("rc1", "rc2")).toBe(true);
    expect(lt("rc2", "rc10")).toBe(true);
    expect(lt("alpha", "alpha3")).toBe(true);
    expect(lt("gamma33", "33gamma")).toBe(true);
  });

  it("gives next() as the version with a trailing underscore, above every version it prefixes", () => {
    const one = v("1");
    expect(one.next().text).toBe("1_");
    expect(one.next().equals(v("1_"))).toBe(true);
    for (const inside of ["1", "1.0", "1.9999", "1.a", "1-Z"]) expect(lt(inside, "1_")).toBe(true);
    for (const outside of ["1a", "2", "10", "1b"]) expect(lt("1_", outside)).toBe(true);
    expect(v("a").next().equals(v("a_"))).toBe(true);
    expect(v("").next()).toBe(Version.infinity);
  });
});

const token = fc.stringMatching(/^[A-Za-z0-9_]{1,5}$/);
const versionText = fc
  .array(fc.tuple(token, fc.constantFrom(".", "-")), { minLength: 0, maxLength: 4 })
  .map((parts) => parts.map(([t, sep], i) => (i === 0 ? t : sep + t)).join(""));

describe("version ordering properties", () => {
  it("is a total order: exactly one of <, =, > holds, and it is antisymmetric", () => {
    fc.assert(
      fc.property(versionText, versionText, (a, b) => {
        const ab = compareVersions(v(a), v(b));
        const ba = compareVersions(v(b), v(a));
        expect(ab + ba).toBe(0);
        expect(ab === 0).toBe(v(a).equals(v(b)));
      }),
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(versionText, versionText, versionText, (a, b, c) => {
        const [x, y, z] = [a, b, c].map(v).sort(compareVersions) as [Version, Version, Version];
        expect(compareVersions(x, z)).toBeLessThanOrEqual(0);
        if (compareVersions(x, y) < 0 && compareVersions(y, z) < 0) expect(compareVersions(x, z)).toBe(-1);
      }),
    );
  });

  it("does not depend on which separator joins the tokens", () => {
    fc.assert(
      fc.property(versionText, (a) => {
        expect(v(a.replaceAll("-", ".")).equals(v(a))).toBe(true);
      }),
    );
  });

  it("places next() strictly above the version and every extension of it", () => {
    fc.assert(
      fc.property(
        versionText.filter((t) => t !== ""),
        token,
        (a, extra) => {
          expect(lt(a, v(a).next().text)).toBe(true);
          expect(lt(`${a}.${extra}`, v(a).next().text)).toBe(true);
        },
      ),
    );
  });
});
