import { describe, expect, it } from "vitest";
import { InvalidPackageFilterError, InvalidRequirementError } from "../../src/errors.js";
import { createPackageFilter, type PackageFilterRules } from "../../src/repository/package-filter.js";
import { formatResolvedPackage } from "../../src/resolver/format.js";
import { resolve } from "../../src/resolver/resolve.js";
import { parseRequirement } from "../../src/version/requirement.js";
import { repositoryOf } from "../resolver/fixtures.js";

const repository = repositoryOf({
  python: { "2.5": { timestamp: 100 }, "2.6": { timestamp: 200 }, "2.7": { timestamp: 300 } },
  foo: {
    "1": { timestamp: 100 },
    "2": { timestamp: 200 },
    "2.5": { timestamp: 250 },
    "3": { timestamp: 300 },
  },
  foobar: { "1": { timestamp: 100 } },
});

/** The versions of a family the filter leaves visible, newest first. */
function visible(family: string, rules: PackageFilterRules, timestamp?: number): string[] {
  const keep = createPackageFilter(rules, timestamp);
  return repository
    .getFamilySync(family)!
    .packages.filter((pkg) => keep === null || keep(pkg))
    .map((pkg) => pkg.version.text);
}

describe("package filters written as requirements (Rez's RangeRule: keep what does not conflict)", () => {
  it("!python-2.6 as an exclusion hides every python but 2.6", () => {
    expect(visible("python", { exclude: ["!python-2.6"] })).toEqual(["2.6"]);
  });

  it("~foo-2 matches the foo that satisfy it, so excluding it hides foo-2 and foo-2.5", () => {
    expect(visible("foo", { exclude: ["~foo-2"] })).toEqual(["3", "1"]);
    expect(visible("foo", { exclude: ["foo-2"] })).toEqual(["3", "1"]);
  });

  it("~foo (no range) conflicts with nothing, so it matches every foo", () => {
    expect(visible("foo", { exclude: ["~foo"] })).toEqual([]);
  });

  it("an include written as a conflict keeps the packages outside its range", () => {
    expect(visible("foo", { exclude: ["foo"], include: ["!foo-2"] })).toEqual(["3", "1"]);
  });

  it("a requirement rule only touches its own family", () => {
    expect(visible("foobar", { exclude: ["!foo-2"] })).toEqual(["1"]);
  });
});

describe("rule kinds", () => {
  it("treats ? without * as a range rule, and an invalid one is an error, not a glob", () => {
    expect(() => createPackageFilter({ exclude: ["foo-2.?"] })).toThrow(InvalidPackageFilterError);
    try {
      createPackageFilter({ exclude: ["foo-2.?"] });
    } catch (error) {
      expect((error as InvalidPackageFilterError).code).toBe("INVALID_PACKAGE_FILTER");
      expect((error as Error).message).toContain("foo-2.?");
      expect((error as Error).cause).toBeInstanceOf(InvalidRequirementError);
    }
  });

  it("globs when the rule holds *, restricted to the family its prefix names", () => {
    expect(visible("foo", { exclude: ["foo-2*"] })).toEqual(["3", "1"]);
    expect(visible("foobar", { exclude: ["foo-*"] })).toEqual(["1"]);
    expect(visible("foo", { exclude: ["*-2.?"] })).toEqual(["3", "2", "1"]);
    expect(visible("python", { exclude: ["*-2.?"] })).toEqual([]);
  });

  it("reads labelled rules: glob(), regex(), range(), before(), after()", () => {
    expect(visible("foo", { exclude: ["glob(foo-?)"] })).toEqual(["2.5"]);
    expect(visible("foo", { exclude: ["regex(foo-2.*)"] })).toEqual(["3", "1"]);
    expect(visible("foo", { exclude: ["range(foo-2+)"] })).toEqual(["1"]);
    expect(visible("foo", { exclude: ["before(200)"] })).toEqual(["3", "2.5"]);
    expect(visible("foo", { exclude: ["after(foo:200)"] })).toEqual(["2", "1"]);
    expect(visible("python", { exclude: ["after(foo:200)"] })).toEqual(["2.7", "2.6", "2.5"]);
  });

  it("rejects an unknown label or a bad timestamp", () => {
    expect(() => createPackageFilter({ exclude: ["newest(foo)"] })).toThrow(InvalidPackageFilterError);
    expect(() => createPackageFilter({ exclude: ["before(yesterday)"] })).toThrow(InvalidPackageFilterError);
  });
});

describe("the resolve timestamp shares one filter with the rules", () => {
  it("hides packages released after the timestamp", () => {
    expect(visible("foo", {}, 200)).toEqual(["2", "1"]);
  });

  it("lets an include rule bring back a too-new package", () => {
    expect(visible("foo", { include: ["foo-3"] }, 200)).toEqual(["3", "2", "1"]);
  });

  it("reads timestamp 0 as no cut-off, as Rez does", async () => {
    expect(visible("foo", {}, 0)).toEqual(["3", "2.5", "2", "1"]);
    const result = await resolve(["foo"], repository, { timestamp: 0 });
    expect(result.status === "solved" && result.packages.map(formatResolvedPackage)).toEqual(["foo-3[]"]);
  });

  it("resolves with a requirement-written filter as Rez does", async () => {
    const result = await resolve(["python"], repository, { filters: { exclude: ["!python-2.6"] } });
    expect(result.status === "solved" && result.packages.map(formatResolvedPackage)).toEqual([
      "python-2.6[]",
    ]);
  });
});

describe("package names (Rez's is_valid_package_name)", () => {
  it.each(["foo..bar", "foo.", "foo..", ".foo.", "__pycache__", "!foo.-1", "~foo..bar"])(
    "rejects %j",
    (text) => {
      expect(() => parseRequirement(text)).toThrow(InvalidRequirementError);
    },
  );

  it.each(["foo.bar", "foo.bar.baz-1", ".foo-2", "_x", "9lives"])("accepts %j", (text) => {
    expect(() => parseRequirement(text)).not.toThrow();
  });
});
