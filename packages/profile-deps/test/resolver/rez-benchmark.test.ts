import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dataDir } from "#test-support";
import { createMemoryRepository, type MemoryRepository } from "../../src/repository/memory-repository.js";
import { formatResolvedPackage } from "../../src/resolver/format.js";
import { resolve } from "../../src/resolver/resolve.js";
import { PATHOLOGICAL_REQUEST } from "./pathological-request.js";
import { expectValidResolve } from "./valid-resolve.js";

interface ExpectedResolve {
  readonly index: number;
  readonly request: readonly string[];
  readonly status: "success" | "failed";
  readonly resolve: readonly string[];
}

const dir = dataDir("rez-benchmark");
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), "utf8")) as T;
const requests = readJson<string[][]>("requests.json");
const expected = readJson<ExpectedResolve[]>("resolves.json");
let repository: MemoryRepository;

beforeAll(() => {
  repository = createMemoryRepository(readJson("packages.json"));
});

describe("the Rez benchmark data set", () => {
  it("holds 188 requests and 94 expected resolves", () => {
    expect(requests).toHaveLength(188);
    expect(expected).toHaveLength(94);
    expect(repository.size).toEqual({ families: 1266, packages: 18226 });
  });

  it.each(expected.map((e) => [e.index, e] as const))(
    "resolves request %i exactly as Rez does (packages, variants, order)",
    async (index, want) => {
      expect(requests[index]).toEqual(want.request);
      const result = await resolve(want.request, repository, { maxSteps: 20_000 });
      if (want.status === "failed") {
        expect(result.status).toBe("failed");
        return;
      }
      expect(result.status).toBe("solved");
      if (result.status === "solved")
        expect(result.packages.map(formatResolvedPackage)).toEqual(want.resolve);
    },
  );

  it("resolves every odd-numbered request (no expected answer) to a valid set, without error or blowing the budget", async () => {
    for (let index = 1; index < requests.length; index += 2) {
      const result = await resolve(requests[index]!, repository, { maxSteps: 20_000, timeoutMs: 20_000 });
      expect(["solved", "failed"]).toContain(result.status);
      if (result.status === "solved") expectValidResolve(requests[index]!, result.packages, repository);
    }
  }, 120_000);

  it("answers the request Rez cannot finish (issue 13) with a valid resolve, after abandoning Rez's order", async () => {
    const result = await resolve(PATHOLOGICAL_REQUEST, repository, { maxSteps: 200_000 });
    expect(result.status).toBe("solved");
    if (result.status === "solved") {
      expectValidResolve(PATHOLOGICAL_REQUEST, result.packages, repository);
      expect(result.stats.steps).toBeGreaterThan(5_000);
    }
  }, 120_000);
});
