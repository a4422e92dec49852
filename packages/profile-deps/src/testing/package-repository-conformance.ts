import { afterAll, beforeAll, describe, expect } from "vitest";
import { publishPackage } from "../packages/publish-package.js";
import type { PublishablePackageRepository } from "../packages/publishable-repository.js";
import { resolve } from "../resolver/resolve.js";
import { uniqueProfileName } from "./fixtures.js";
import { errorCode, testsSkipping } from "./suite-helpers.js";

/** Options of the package repository conformance suite. */
export interface PackageRepositoryConformanceOptions {
  /** Builds an empty repository under test (called once per suite). */
  create(): Promise<PublishablePackageRepository> | PublishablePackageRepository;
  /** Cleans up after the suite. */
  destroy?(): Promise<void>;
  /** Not used by this suite (a repository is read through its port); kept for the common shape. */
  backdoor?(family: string): Promise<unknown>;
  /** Names of tests to skip. */
  skip?: readonly string[];
  /** More tests for this adapter, with the same repository. */
  additionalTests?(repository: () => PublishablePackageRepository): void;
}

/** Family names safe to share one repository across tests (`[A-Za-z0-9_]`). */
const family = (prefix: string) => uniqueProfileName(prefix).replace(/-/g, "_");

/**
 * The behaviour every publishable `PackageRepository` must show: families newest first,
 * immutable versions, and resolves through the port giving the same answer.
 */
export function describePackageRepositoryConformance(
  name: string,
  options: PackageRepositoryConformanceOptions,
): void {
  describe(`PackageRepository conformance: ${name}`, () => {
    let repository: PublishablePackageRepository;
    beforeAll(async () => {
      repository = await options.create();
    });
    afterAll(async () => {
      await options.destroy?.();
    });
    const it = testsSkipping(options.skip);

    it("returns a family's versions newest first, with requires, variants and timestamp", async () => {
      const lib = family("lib");
      for (const version of ["1.2", "1.10", "1.9.1", "2.0.0.beta", "2"]) {
        await repository.addPackage(lib, version, { requires: [`dep-${version}`], timestamp: 1_700_000_000 });
      }
      await repository.addPackage(lib, "3", {
        requires: ["python"],
        variants: [["python-3.10"], ["python-3.11"]],
        timestamp: 1_700_000_100,
      });
      const found = await repository.getFamily(lib);
      expect(found?.name).toBe(lib);
      expect(found?.packages.map((p) => p.version.text)).toEqual([
        "3",
        "2.0.0.beta",
        "2",
        "1.10",
        "1.9.1",
        "1.2",
      ]);
      const three = found!.packages[0]!;
      expect(three.requires).toEqual(["python"]);
      expect(three.variantRequires).toEqual([["python-3.10"], ["python-3.11"]]);
      expect(three.timestamp).toBe(1_700_000_100);
      expect(found!.packages[1]!.variantRequires).toBeNull();
    });

    it("answers undefined for an unknown family and lists known ones sorted", async () => {
      const a = family("a");
      const b = family("b");
      await repository.addPackage(b, "1", { requires: [], timestamp: 1 });
      await repository.addPackage(a, "1", { requires: [], timestamp: 1 });
      expect(await repository.getFamily(family("absent"))).toBeUndefined();
      const families = await repository.listFamilies();
      expect(families).toEqual([...families].sort());
      expect(families).toEqual(expect.arrayContaining([a, b]));
    });

    it("keeps a published version immutable, equivalent spellings included", async () => {
      const tool = family("tool");
      await repository.addPackage(tool, "1.0", { requires: ["a"], timestamp: 1 });
      expect(await errorCode(repository.addPackage(tool, "1.0", { requires: ["b"], timestamp: 2 }))).toBe(
        "PACKAGE_VERSION_EXISTS",
      );
      expect(await errorCode(repository.addPackage(tool, "1-0", { requires: ["c"], timestamp: 3 }))).toBe(
        "PACKAGE_VERSION_EXISTS",
      );
      const found = await repository.getFamily(tool);
      expect(found?.packages.map((p) => [p.version.text, p.requires])).toEqual([["1.0", ["a"]]]);
    });

    it("shows a newly published version to the next read", async () => {
      const app = family("app");
      await repository.addPackage(app, "1", { requires: [], timestamp: 1 });
      expect((await repository.getFamily(app))?.packages).toHaveLength(1);
      await repository.addPackage(app, "2", { requires: [], timestamp: 2 });
      expect((await repository.getFamily(app))?.packages.map((p) => p.version.text)).toEqual(["2", "1"]);
    });

    it("publishes through publishPackage, refusing a bad definition without writing", async () => {
      const py = family("py");
      const app = family("app");
      await publishPackage(repository, { name: py, version: "3.10.1", timestamp: 10 });
      await publishPackage(repository, { name: py, version: "3.11.0", timestamp: 20 });
      await publishPackage(repository, {
        name: app,
        version: "1.0.0",
        requires: [`${py}-3.10`],
        timestamp: 30,
      });
      expect(
        await errorCode(publishPackage(repository, { name: app, version: "2.0.0", requires: ["bad-1+<"] })),
      ).toBe("INVALID_PACKAGE");
      expect(
        await errorCode(
          publishPackage(repository, { name: app, version: "2.0.0", requires: ["x-1", "x-2"] }),
        ),
      ).toBe("INVALID_PACKAGE");
      expect((await repository.getFamily(app))?.packages.map((p) => p.version.text)).toEqual(["1.0.0"]);
      const result = await resolve([app], repository);
      expect(result.status).toBe("solved");
      if (result.status === "solved") {
        expect(result.packages.map((p) => `${p.name}-${p.version}`)).toEqual([
          `${py}-3.10.1`,
          `${app}-1.0.0`,
        ]);
      }
    });

    options.additionalTests?.(() => repository);
  });
}
