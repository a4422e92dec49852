/**
 * Resolves all 188 requests of the Rez benchmark set against its 18,226 packages
 * and reports load time, median, total and peak RSS, as `portside-rez bench` does.
 *
 *   npx tsx packages/profile-deps/bench/resolver.bench.ts     (or: npm run bench:resolver)
 *
 * Pass 1 is the measured run, of what users run: the built `portside-rez bench` in a
 * fresh process (load the repository, then each request once, with families parsed on
 * first use). Running the sources through tsx instead adds its keep-names wrappers to
 * the solver's hot path, about 10% of the total. Pass 2 repeats the requests on the warm
 * repository. Rez cannot run here; its figures on this kind of machine come from
 * the issue (Rez 3.4.0, Python 3.11: load about 21 s, median 0.55 s, total 213 s)
 * and the ratios against them are labelled as such.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance as nodePerformance } from "node:perf_hooks";

const eventLoopUtilization = nodePerformance.eventLoopUtilization;

import { fileURLToPath } from "node:url";
import type { BenchmarkRun } from "../src/cli/benchmark.js";
import { readRequestsFile } from "../src/cli/requests-file.js";
import { peakRssMb, summarise } from "../src/cli/statistics.js";
import { loadMemoryRepository } from "../src/repository/memory-repository.js";
import { resolve } from "../src/resolver/resolve.js";
import type { ResolveResult } from "../src/resolver/types.js";
import { createResolverPool } from "../src/resolver/worker/resolver-pool.js";
import { PATHOLOGICAL_REQUEST } from "../test/resolver/pathological-request.js";

const REZ = {
  loadMs: 21_000,
  medianMs: 550,
  totalMs: 213_000,
  source: "issue 3: Rez 3.4.0, Python 3.11, 2-core machine",
};
const TARGET = { loadMs: 200, medianMs: 25, totalMs: 2_100, peakRssMb: 300 };

const dir = fileURLToPath(new URL("../../../data/rez-benchmark/", import.meta.url));
const repoPath = join(dir, "packages.json");
const requestsPath = join(dir, "requests.json");

const cli = fileURLToPath(new URL("../bin/portside-rez.js", import.meta.url));
const cold = spawnSync(
  process.execPath,
  [cli, "bench", "--repo", repoPath, "--requests", requestsPath, "--json"],
  {
    encoding: "utf8",
  },
);
if (cold.status !== 0) throw new Error(`portside-rez bench failed (is the package built?):\n${cold.stderr}`);
const measured = JSON.parse(cold.stdout) as Omit<BenchmarkRun, "timesMs">;
const peakAfterMeasured = measured.peakRssMb;

const repository = await loadMemoryRepository(repoPath);
const requests = await readRequestsFile(requestsPath);
for (const request of requests) await resolve(request, repository);
const warmTimes: number[] = [];
let resolvedPackages = 0;
for (const request of requests) {
  const start = performance.now();
  const result = await resolve(request, repository);
  warmTimes.push(performance.now() - start);
  if (result.status === "solved") resolvedPackages += result.packages.length;
}
const warm = summarise(warmTimes);

// The pathological request of issue 13, on a worker within the budget (20 s, 500 MB heap).
const BUDGET = { timeoutMs: 20_000, maxMemoryMb: 500 };

/** Peak process RSS while `run` is pending, sampled every 50 ms. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    return { value: await run(), peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const describeOutcome = (outcome: PromiseSettledResult<ResolveResult>) =>
  outcome.status === "fulfilled"
    ? outcome.value.status === "solved"
      ? `solved (${outcome.value.packages.length} packages)`
      : `failed: ${outcome.value.failure.description.slice(0, 120)}`
    : String((outcome.reason as Error).message);

const single = createResolverPool({ size: 1, ...BUDGET });
const rssBefore = process.memoryUsage().rss / 1024 / 1024;
const pathoStart = performance.now();
const patho = await withPeakRss(() =>
  Promise.allSettled([single.resolve(PATHOLOGICAL_REQUEST, repository)]).then(([o]) => o!),
);
const pathological = {
  ms: performance.now() - pathoStart,
  outcome: describeOutcome(patho.value),
  peakRssMb: patho.peakRssMb,
  rssBeforeMb: rssBefore,
  budget: BUDGET,
};
await single.close();

// A server's view: 4 workers take the 188 requests while 4 pathological resolves (5 s budget each)
// hold workers too; the main thread's event-loop delay is what /healthz would wait.
const CONCURRENT_WORKERS = 4;
const pool = createResolverPool({ size: CONCURRENT_WORKERS, timeoutMs: 5_000, maxMemoryMb: 500 });
await Promise.all(
  Array.from({ length: CONCURRENT_WORKERS }, () => pool.resolve(["diam==linux"], repository)),
);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const utilisationBefore = eventLoopUtilization();
const concurrentStart = performance.now();
const hard = pathologicalRuns(pool);
const all = await Promise.allSettled(requests.map((request) => pool.resolve(request, repository)));
const concurrentMs = performance.now() - concurrentStart;
const hardOutcomes = await hard;
// The share of the time the main thread was running JavaScript: a busy loop, or a starved process.
const utilisation = eventLoopUtilization(utilisationBefore).utilization;
delay.disable();
await pool.close();
const concurrent = {
  workers: CONCURRENT_WORKERS,
  requests: all.length,
  solvedOrFailed: all.filter((o) => o.status === "fulfilled").length,
  totalMs: concurrentMs,
  pathological: hardOutcomes.map(describeOutcome),
  eventLoopUtilisation: utilisation,
  eventLoopDelayMs: {
    p50: delay.percentile(50) / 1e6,
    p99: delay.percentile(99) / 1e6,
    max: delay.max / 1e6,
  },
};

function pathologicalRuns(on: ReturnType<typeof createResolverPool>) {
  return Promise.allSettled(Array.from({ length: 4 }, () => on.resolve(PATHOLOGICAL_REQUEST, repository)));
}

const t = measured.timing;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const rows: [string, string, string, string][] = [
  ["load", fmt(measured.loadMs), `< ${fmt(TARGET.loadMs)}`, `${(REZ.loadMs / measured.loadMs).toFixed(0)}x`],
  ["median", fmt(t.medianMs), `< ${fmt(TARGET.medianMs)}`, `${(REZ.medianMs / t.medianMs).toFixed(0)}x`],
  ["mean", fmt(t.meanMs), "", ""],
  ["p90", fmt(t.p90Ms), "", ""],
  ["max", fmt(t.maxMs), "", ""],
  ["total", fmt(t.totalMs), `< ${fmt(TARGET.totalMs)}`, `${(REZ.totalMs / t.totalMs).toFixed(0)}x`],
  ["peak RSS", `${peakAfterMeasured.toFixed(0)} MB`, `< ${TARGET.peakRssMb} MB`, ""],
  ["warm median", fmt(warm.medianMs), "", ""],
  ["warm total", fmt(warm.totalMs), "", ""],
  ["pathological", fmt(pathological.ms), "< 20 s", "Rez: > 21 min"],
  ["  peak RSS", `${pathological.peakRssMb.toFixed(0)} MB`, "< 500 MB", ""],
  [`${CONCURRENT_WORKERS} workers`, fmt(concurrent.totalMs), "", "188 requests + 4 pathological"],
  [
    "  loop p99",
    fmt(concurrent.eventLoopDelayMs.p99),
    "< 50 ms",
    `max ${fmt(concurrent.eventLoopDelayMs.max)}`,
  ],
  ["  loop busy", `${(concurrent.eventLoopUtilisation * 100).toFixed(1)} %`, "", "main thread running JS"],
];
console.log(
  `Rez benchmark: ${measured.requests} requests (${measured.solved} solved, ${measured.failed} failed, ${measured.errors} errors), ` +
    `${measured.families} families, ${measured.packages} packages, ${measured.solveSteps} solve steps, ` +
    `${resolvedPackages} packages in the solved resolves`,
);
console.log(`${"".padEnd(12)}${"measured".padEnd(12)}${"target".padEnd(12)}vs Rez (not same run)`);
for (const [label, value, target, ratio] of rows)
  console.log(`${label.padEnd(12)}${value.padEnd(12)}${target.padEnd(12)}${ratio}`);
console.log(`pathological: ${pathological.outcome}`);
console.log(
  `load average during the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${cpus().length} cores`,
);
console.log(`concurrent pathological: ${concurrent.pathological.join(" | ")}`);

const results = {
  benchmark: "resolver",
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  loadAverage: loadavg(),
  sizes: {
    families: measured.families,
    packages: measured.packages,
    requests: measured.requests,
    solved: measured.solved,
    failed: measured.failed,
    errors: measured.errors,
    solveSteps: measured.solveSteps,
    resolvedPackages,
  },
  measured: { loadMs: measured.loadMs, ...t, peakRssMb: peakAfterMeasured },
  warm: { ...warm, peakRssMb: peakRssMb() },
  pathological,
  concurrent,
  target: TARGET,
  rez: {
    ...REZ,
    ratios: {
      load: REZ.loadMs / measured.loadMs,
      median: REZ.medianMs / t.medianMs,
      total: REZ.totalMs / t.totalMs,
    },
  },
};
const out = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "resolver.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${join(out, "resolver.json")}`);
