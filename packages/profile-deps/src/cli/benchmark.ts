import { loadMemoryRepository } from "../repository/memory-repository.js";
import { resolve } from "../resolver/resolve.js";
import type { ResolveOptions } from "../resolver/types.js";
import { readRequestsFile } from "./requests-file.js";
import { peakRssMb, summarise, type TimingSummary } from "./statistics.js";

export interface BenchmarkRun {
  readonly loadMs: number;
  readonly families: number;
  readonly packages: number;
  readonly requests: number;
  readonly solved: number;
  readonly failed: number;
  readonly errors: number;
  readonly solveSteps: number;
  readonly timing: TimingSummary;
  readonly timesMs: readonly number[];
  readonly peakRssMb: number;
}

/** Loads a repository, then resolves every request list of a requests file once, timing each. */
export async function runBenchmark(
  repositoryPath: string,
  requestsPath: string,
  options: ResolveOptions = {},
): Promise<BenchmarkRun> {
  const requests = await readRequestsFile(requestsPath);
  const loadStart = performance.now();
  const repository = await loadMemoryRepository(repositoryPath);
  const loadMs = performance.now() - loadStart;
  const timesMs: number[] = [];
  let solved = 0;
  let failed = 0;
  let errors = 0;
  let solveSteps = 0;
  for (const request of requests) {
    const start = performance.now();
    try {
      const result = await resolve(request, repository, options);
      solveSteps += result.stats.steps;
      if (result.status === "solved") solved++;
      else failed++;
    } catch {
      errors++;
    }
    timesMs.push(performance.now() - start);
  }
  return {
    loadMs,
    families: repository.size.families,
    packages: repository.size.packages,
    requests: requests.length,
    solved,
    failed,
    errors,
    solveSteps,
    timing: summarise(timesMs),
    timesMs,
    peakRssMb: peakRssMb(),
  };
}
