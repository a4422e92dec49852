/**
 * Resolves all 188 requests of the Rez benchmark set against its 18,226 packages
 * and reports load time, median, total and peak RSS, as `portside-rez bench` does.
 *
 *   npx tsx packages/profile-deps/bench/resolver.bench.ts     (or: npm run bench:resolver)
 *
 * Pass 1 is the measured run: load the repository, then each request once, with
 * families parsed on first use. Pass 2 repeats the requests on the warm
 * repository. Rez cannot run here; its figures on this kind of machine come from
 * the issue (Rez 3.4.0, Python 3.11: load about 21 s, median 0.55 s, total 213 s)
 * and the ratios against them are labelled as such.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runBenchmark } from "../src/cli/benchmark.js";
import { readRequestsFile } from "../src/cli/requests-file.js";
import { peakRssMb, summarise } from "../src/cli/statistics.js";
import { loadMemoryRepository } from "../src/repository/memory-repository.js";
import { resolve } from "../src/resolver/resolve.js";

const REZ = {
  loadMs: 21_000,
  medianMs: 550,
  totalMs: 213_000,
  source: "issue 3: Rez 3.4.0, Python 3.11, 2-core machine",
};
const TARGET = { loadMs: 1_000, medianMs: 25, totalMs: 10_600, peakRssMb: 300 };

const dir = fileURLToPath(new URL("../../../data/rez-benchmark/", import.meta.url));
const repoPath = join(dir, "packages.json");
const requestsPath = join(dir, "requests.json");

const measured = await runBenchmark(repoPath, requestsPath);
const peakAfterMeasured = peakRssMb();

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
];
console.log(
  `Rez benchmark: ${measured.requests} requests (${measured.solved} solved, ${measured.failed} failed, ${measured.errors} errors), ` +
    `${measured.families} families, ${measured.packages} packages, ${measured.solveSteps} solve steps, ` +
    `${resolvedPackages} packages in the solved resolves`,
);
console.log(`${"".padEnd(12)}${"measured".padEnd(12)}${"target".padEnd(12)}vs Rez (not same run)`);
for (const [label, value, target, ratio] of rows)
  console.log(`${label.padEnd(12)}${value.padEnd(12)}${target.padEnd(12)}${ratio}`);

const results = {
  benchmark: "resolver",
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
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
  target: TARGET,
  rez: {
    ...REZ,
    ratios: {
      load: REZ.loadMs / measured.loadMs,
      median: REZ.medianMs / t.medianMs,
      total: REZ.totalMs / t.totalMs,
    },
  },
  timesMs: measured.timesMs.map((ms) => Math.round(ms * 1000) / 1000),
};
const out = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "resolver.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${join(out, "resolver.json")}`);
