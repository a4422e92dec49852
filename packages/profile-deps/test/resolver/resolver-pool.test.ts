import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDir } from "#test-support";
import { PackageFamilyNotFoundError, ResolveBudgetError } from "../../src/errors.js";
import { createMemoryRepository, type MemoryRepository } from "../../src/repository/memory-repository.js";
import { formatResolvedPackage } from "../../src/resolver/format.js";
import { resolve } from "../../src/resolver/resolve.js";
import type { ResolveResult } from "../../src/resolver/types.js";
import { createResolverPool, type ResolverPool } from "../../src/resolver/worker/resolver-pool.js";
import { PATHOLOGICAL_REQUEST } from "./pathological-request.js";

const dir = dataDir("rez-benchmark");
const requests = JSON.parse(readFileSync(join(dir, "requests.json"), "utf8")) as string[][];

let repository: MemoryRepository;
let pool: ResolverPool;

beforeAll(() => {
  repository = createMemoryRepository(JSON.parse(readFileSync(join(dir, "packages.json"), "utf8")));
  pool = createResolverPool({ size: 2, timeoutMs: 60_000 });
});
afterAll(() => pool.close());

const summary = (result: ResolveResult) =>
  result.status === "solved" ? result.packages.map(formatResolvedPackage) : result.failure.description;

describe("the resolver pool", () => {
  it("sizes itself to the cores minus one, at least one worker", async () => {
    const defaultPool = createResolverPool();
    expect(defaultPool.size).toBe(Math.max(1, availableParallelism() - 1));
    await defaultPool.close();
    const one = createResolverPool({ size: 0 });
    expect(one.size).toBe(1);
    await one.close();
  });

  it("gives the answers of an in-thread resolve, solved and failed", async () => {
    for (const index of [0, 2, 10, 57]) {
      const [inPool, inThread] = await Promise.all([
        pool.resolve(requests[index]!, repository),
        resolve(requests[index]!, repository),
      ]);
      expect(inPool.status).toBe(inThread.status);
      expect(summary(inPool)).toEqual(summary(inThread));
    }
  }, 60_000);

  it("rethrows the solver's errors as this package's classes", async () => {
    const error = await pool.resolve(["no_such_family"], repository).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageFamilyNotFoundError);
    expect((error as PackageFamilyNotFoundError).family).toBe("no_such_family");
    expect((error as PackageFamilyNotFoundError).code).toBe("PACKAGE_FAMILY_NOT_FOUND");
  });

  it("stops a resolve over its budget and reports how far it got, then keeps serving", async () => {
    const roomy = createResolverPool({ size: 1, timeoutMs: 60_000 });
    try {
      const error = await roomy
        .resolve(PATHOLOGICAL_REQUEST, repository, { maxSteps: 200 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResolveBudgetError);
      expect((error as ResolveBudgetError).steps).toBe(200);
      expect((error as ResolveBudgetError).details).toMatchObject({ failures: expect.any(Number) });
      const after = await roomy.resolve(requests[0]!, repository);
      expect(after.status).toBe("solved");
    } finally {
      await roomy.close();
    }
  }, 60_000);

  it("terminates a worker over its memory budget with a budget error, and replaces it", async () => {
    const small = createResolverPool({ size: 1, timeoutMs: 60_000, maxMemoryMb: 16 });
    try {
      const error = await small.resolve(PATHOLOGICAL_REQUEST, repository).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResolveBudgetError);
      expect((error as ResolveBudgetError).message).toContain("memory budget of 16 MB");
      expect((error as ResolveBudgetError).details).toMatchObject({ budget: "memory" });
      const after = await small.resolve(["diam==linux"], repository);
      expect(after.status).toBe("solved");
    } finally {
      await small.close();
    }
  }, 90_000);

  it("leaves the event loop free while four pathological resolves run", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => pool.resolve(PATHOLOGICAL_REQUEST, repository, { timeoutMs: 1_000 })),
    );
    clearInterval(timer);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(outcome.reason).toBeInstanceOf(ResolveBudgetError);
    }
    // Solved on this thread, the four would have let no timer fire at all.
    expect(ticks).toBeGreaterThan(20);
  }, 60_000);
});
