import { describe, expect, it } from "vitest";
import {
  PackageFamilyNotFoundError,
  PackageNotFoundError,
  PackageRequirementsConflictError,
  ResolveBudgetError,
} from "../../src/errors.js";
import type { PackageRepository } from "../../src/repository/package-repository.js";
import { formatResolvedPackage } from "../../src/resolver/format.js";
import { resolve } from "../../src/resolver/resolve.js";
import type { ResolveOptions, ResolveResult } from "../../src/resolver/types.js";
import { docsExample, repositoryOf } from "./fixtures.js";

const names = (result: ResolveResult): string[] => {
  if (result.status !== "solved") throw new Error(`expected a solve, got: ${result.failure.description}`);
  return result.packages.map(formatResolvedPackage);
};

const solve = async (request: string[], repo: PackageRepository = docsExample, options?: ResolveOptions) =>
  names(await resolve(request, repo, options));

describe("resolve: Rez's documented example", () => {
  it("gives the latest foo and its eek", async () => {
    expect(await solve(["foo"])).toEqual(["eek-2.7[]", "foo-1.3[]"]);
    expect(await solve(["foo-1.3"])).toEqual(["eek-2.7[]", "foo-1.3[]"]);
  });

  it("backs off to foo-1.2 so that foo and bah agree on eek, dependencies first", async () => {
    expect(await solve(["foo", "bah"])).toEqual(["eek-2.6[]", "foo-1.2[]", "bah-4[]"]);
  });

  it("fails foo-1.3 with bah-4 and names the requirements in conflict", async () => {
    const result = await resolve(["foo-1.3", "bah-4"], docsExample);
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.failure.kind).toBe("conflict");
    expect(result.failure.description).toBe(
      "The following package conflicts occurred: (eek-2.7 <--!--> eek-2.6)",
    );
    expect(result.failure.requirements).toEqual(["eek-2.7", "eek-2.6"]);
  });

  it("fails a request that conflicts with itself before solving", async () => {
    const result = await resolve(["foo-1.1", "foo-1.2"], docsExample);
    expect(result.status === "failed" && result.failure.description).toBe(
      "The following package conflicts occurred: (foo-1.1 <--!--> foo-1.2)",
    );
  });
});

describe("resolve: weak references, conflicts and ephemerals", () => {
  it("lets a weak reference narrow a package something else pulls in", async () => {
    expect(await solve(["foo", "~eek-2.5"])).toEqual(["eek-2.5[]", "foo-1.1[]"]);
  });

  it("does not pull in a package only weakly referenced", async () => {
    expect(await solve(["bah-4", "~foo-1.1"])).toEqual(["eek-2.6[]", "bah-4[]"]);
  });

  it("avoids versions a conflict request excludes", async () => {
    expect(await solve(["foo", "!eek-2.7"])).toEqual(["eek-2.6[]", "foo-1.2[]"]);
  });

  it("fails when a conflict request excludes what is required", async () => {
    const result = await resolve(["foo-1.3", "!eek"], docsExample);
    expect(result.status === "failed" && result.failure.kind).toBe("conflict");
  });

  it("resolves ephemerals as ranges, not packages, and lets packages constrain them", async () => {
    const repo = repositoryOf({
      tool: { "1": { requires: [".feature-1+"] }, "2": { requires: [".feature-2+"] } },
    });
    const result = await resolve(["tool", ".feature-1"], repo);
    expect(names(result)).toEqual(["tool-1[]"]);
    expect(result.status === "solved" && result.ephemerals).toEqual([".feature-1"]);
  });
});

describe("resolve: variants", () => {
  const repo = repositoryOf({
    plugin: { "1.0": { requires: [], variants: [["python-3"], ["maya-2023", "python-2"]] } },
    python: { "2.7": {}, "3.9": {} },
    maya: { "2023": {}, "2024": {} },
    lib: { "1": { requires: ["base"], variants: [["maya-2023"], ["maya-2024"]] } },
    base: { "1": {} },
  });

  it("picks the variant with the highest versions of the packages (version_priority)", async () => {
    expect(await solve(["lib"], repo)).toEqual(["base-1[]", "maya-2024[]", "lib-1[1]"]);
    expect(await solve(["lib", "maya-2023"], repo)).toEqual(["maya-2023[]", "base-1[]", "lib-1[0]"]);
  });

  it("prefers the variant sharing more packages with the request under intersection_priority", async () => {
    const request = ["plugin", "python", "maya"];
    expect(await solve(request, repo)).toEqual(["python-3.9[]", "plugin-1.0[0]", "maya-2024[]"]);
    expect(await solve(request, repo, { variantSelectMode: "intersection_priority" })).toEqual([
      "python-2.7[]",
      "maya-2023[]",
      "plugin-1.0[1]",
    ]);
  });

  it("fails on a variant whose own requirements conflict", async () => {
    const broken = repositoryOf({
      x: { "1": { requires: ["y-1"], variants: [["y-2"]] } },
      y: { "1": {}, "2": {} },
    });
    await expect(resolve(["x"], broken)).rejects.toThrow(PackageRequirementsConflictError);
  });
});

describe("resolve: failures", () => {
  it("fails a dependency cycle and describes it", async () => {
    const repo = repositoryOf({ a: { "1": { requires: ["b"] } }, b: { "1": { requires: ["a"] } } });
    const result = await resolve(["a"], repo);
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.failure.kind).toBe("cycle");
    expect(result.failure.description).toBe("A cyclic dependency was detected: a-1 --> b-1 --> a-1");
  });

  it("reports a total reduction when every version of a package conflicts", async () => {
    const repo = repositoryOf({
      a: { "2": { requires: ["b-2"] }, "1": { requires: ["c-1"] } },
      b: { "2": {}, "3": {} },
      c: { "1": {}, "5": {} },
    });
    const result = await resolve(["a", "b-3", "c-5"], repo);
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.failure.kind).toBe("reduction");
    expect(result.failure.description).toBe(
      "A package was completely reduced: (a-2[] (dep(b-2) <--!--> b==3))",
    );
    expect(result.failure.requirements).toEqual(["a-2", "b-2", "b==3"]);
  });

  it("throws PackageFamilyNotFoundError for an unknown family, naming who required it", async () => {
    await expect(resolve(["nope"], docsExample)).rejects.toThrow(PackageFamilyNotFoundError);
    const repo = repositoryOf({ a: { "1": { requires: ["ghost-1"] } } });
    const error = await resolve(["a"], repo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageFamilyNotFoundError);
    expect((error as PackageFamilyNotFoundError).requiredBy).toEqual(["a"]);
    expect((error as PackageFamilyNotFoundError).code).toBe("PACKAGE_FAMILY_NOT_FOUND");
  });

  it("throws PackageNotFoundError for a version that does not exist", async () => {
    await expect(resolve(["foo-9"], docsExample)).rejects.toThrow(PackageNotFoundError);
    await expect(resolve(["foo-9"], docsExample)).rejects.toThrow("Package could not be found: foo-9");
  });
});

describe("resolve: options", () => {
  const timed = repositoryOf({
    app: {
      "1": { requires: [], timestamp: 1_000 },
      "2": { requires: [], timestamp: 2_000 },
      "3": { requires: [], timestamp: 3_000 },
    },
  });

  it("resolves as of a timestamp: later packages are invisible", async () => {
    expect(await solve(["app"], timed, { timestamp: 2_500 })).toEqual(["app-2[]"]);
    expect(await solve(["app"], timed)).toEqual(["app-3[]"]);
  });

  it("hides packages matched by filters", async () => {
    expect(await solve(["foo"], docsExample, { filters: { exclude: ["eek-2.7"] } })).toEqual([
      "eek-2.6[]",
      "foo-1.2[]",
    ]);
    expect(await solve(["app"], timed, { filters: { exclude: ["app-*"], include: ["app-1"] } })).toEqual([
      "app-1[]",
    ]);
  });

  it("stops a solve that outruns its step budget with ResolveBudgetError", async () => {
    await expect(resolve(["foo", "bah"], docsExample, { maxSteps: 1 })).rejects.toThrow(ResolveBudgetError);
    const result = await resolve(["foo", "bah"], docsExample, { maxSteps: 100 });
    expect(result.stats.steps).toBeGreaterThan(1);
  });

  it("works the same on a repository without synchronous reads", async () => {
    const asyncOnly: PackageRepository = {
      listFamilies: () => docsExample.listFamilies(),
      getFamily: (name) => docsExample.getFamily(name),
    };
    expect(await solve(["foo", "bah"], asyncOnly)).toEqual(["eek-2.6[]", "foo-1.2[]", "bah-4[]"]);
    await expect(resolve(["nope"], asyncOnly)).rejects.toThrow(PackageFamilyNotFoundError);
  });
});

describe("formatResolvedPackage", () => {
  it("writes Rez's name-version[index]", () => {
    expect(formatResolvedPackage({ name: "foo", version: "1.0", variantIndex: 2 })).toBe("foo-1.0[2]");
    expect(formatResolvedPackage({ name: "foo", version: "1.0", variantIndex: null })).toBe("foo-1.0[]");
    expect(formatResolvedPackage({ name: "foo", version: "", variantIndex: null })).toBe("foo[]");
  });
});
