import { describe, expect, it } from "vitest";
import { InvalidRepositoryError } from "../../src/errors.js";
import { createMemoryRepository } from "../../src/repository/memory-repository.js";
import { createPackageFilter } from "../../src/repository/package-filter.js";
import type { RepositoryDocumentInput } from "../../src/repository/repository-schema.js";

const document = {
  format: "rez-benchmark-repository/1",
  families: {
    foo: {
      "1.0": { requires: ["bar-1"], timestamp: 100 },
      "1.10": { requires: [], timestamp: 300 },
      "1.9": { requires: ["bar"], variants: [["python-2"], ["python-3"]], timestamp: 200 },
    },
    bar: { "1": { requires: [] } },
  },
} satisfies RepositoryDocumentInput;

describe("createMemoryRepository", () => {
  it("lists families by name and counts packages", async () => {
    const repo = createMemoryRepository(document);
    expect(await repo.listFamilies()).toEqual(["bar", "foo"]);
    expect(repo.size).toEqual({ families: 2, packages: 4 });
  });

  it("returns a family's packages newest first, by Rez version order", async () => {
    const repo = createMemoryRepository(document);
    const family = await repo.getFamily("foo");
    expect(family?.packages.map((p) => p.version.text)).toEqual(["1.10", "1.9", "1.0"]);
  });

  it("caches family lookups: the same object each time", async () => {
    const repo = createMemoryRepository(document);
    expect(await repo.getFamily("foo")).toBe(repo.getFamilySync("foo"));
  });

  it("answers undefined for an unknown family", async () => {
    const repo = createMemoryRepository(document);
    expect(await repo.getFamily("nope")).toBeUndefined();
  });

  it("gives a package without variants one variant with index null, and numbers variants otherwise", () => {
    const repo = createMemoryRepository(document);
    const [v110, v19] = repo.getFamilySync("foo")!.packages;
    expect(v110!.variants.map((v) => v.index)).toEqual([null]);
    expect(v19!.variants.map((v) => v.index)).toEqual([0, 1]);
    expect(v19!.variants[1]!.requires.requirements.map(String)).toEqual(["bar", "python-3"]);
    expect(String(v19!.variants[1])).toBe("foo-1.9[1]");
  });

  it("rejects a document of another format, naming the field, at compile time and at run time", () => {
    // @ts-expect-error: the format is a literal.
    expect(() => createMemoryRepository({ format: "other", families: {} })).toThrow(InvalidRepositoryError);
    try {
      createMemoryRepository({
        format: "rez-benchmark-repository/1",
        // @ts-expect-error: requirements are strings.
        families: { foo: { "1": { requires: [3] } } },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRepositoryError);
      expect((error as InvalidRepositoryError).issues[0]?.path).toBe("families.foo.1.requires.0");
      expect((error as InvalidRepositoryError).code).toBe("INVALID_REPOSITORY");
    }
  });
});

describe("createPackageFilter", () => {
  const repo = createMemoryRepository(document);
  const [v110, v19, v10] = repo.getFamilySync("foo")!.packages as [never, never, never];

  it("hides packages released after a timestamp", () => {
    const visible = createPackageFilter({}, 250)!;
    expect([v110, v19, v10].map(visible)).toEqual([false, true, true]);
  });

  it("excludes by glob on name-version and by requirement, with include winning", () => {
    expect([v110, v19, v10].map(createPackageFilter({ exclude: ["foo-1.1*"] })!)).toEqual([
      false,
      true,
      true,
    ]);
    expect([v110, v19, v10].map(createPackageFilter({ exclude: ["foo-1.5+"] })!)).toEqual([
      false,
      false,
      true,
    ]);
    expect([v110, v19, v10].map(createPackageFilter({ exclude: ["foo"], include: ["foo-1.9"] })!)).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("is absent when nothing is filtered", () => {
    expect(createPackageFilter({})).toBeNull();
  });
});
