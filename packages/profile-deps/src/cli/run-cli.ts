import { parseArgs } from "node:util";
import packageJson from "../../package.json" with { type: "json" };
import { ProfileDepsError, ResolveBudgetError } from "../errors.js";
import { loadMemoryRepository, type MemoryRepository } from "../repository/memory-repository.js";
import { formatResolvedPackage } from "../resolver/format.js";
import { type ResolveOptions, type ResolveResult, VariantSelectMode } from "../resolver/types.js";
import { createResolverPool, type Resolver } from "../resolver/worker/resolver-pool.js";
import { runBenchmark } from "./benchmark.js";
import { readRequestsFile } from "./requests-file.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const USAGE = `Usage:
  portside-rez resolve --repo FILE [options] REQUEST...
  portside-rez resolve --repo FILE --requests FILE [--json] [options]
  portside-rez bench --repo FILE --requests FILE [--json] [options]

Resolves Rez package requests (maya-2022+<2024, ~python-3.7, !houdini) against a
repository file in the rez-benchmark-repository/1 format.

Options:
  --repo FILE                 package repository JSON (required)
  --requests FILE             JSON list of request lists, resolved one by one
  --json                      one JSON line per request (resolve), or a JSON summary (bench)
  --variant-select-mode MODE  version_priority (default) or intersection_priority
  --timestamp SECONDS         ignore packages released after this time (0: no cut-off)
  --exclude RULE              hide packages, as Rez's package filters (repeatable): a glob on
                              name-version when RULE holds '*' (foo-*.beta), else a requirement
                              matching what does not conflict with it (foo-2+, !python-2.6), or
                              glob(...), regex(...), range(...), before(EPOCH), after(EPOCH)
  --include RULE              keep packages an --exclude rule hides (repeatable)
  --max-steps N               give up after N solve steps
  --timeout-ms N              give up after N milliseconds per request (resolve: default 60000)
  --max-memory-mb N           give up when a resolve needs more heap than this (resolve: default 1024)
  -h, --help                  show this help
  -v, --version               print the package version

resolve runs each request on a worker thread within the time and memory budget.

Exit codes: 0 solved, 1 a resolve failed (with --requests: any request failed, hit a
missing package or ran out of budget, reported in its line), 2 invalid input, a missing
package, or a budget run out.`;

const optionSpec = {
  repo: { type: "string" },
  requests: { type: "string" },
  json: { type: "boolean", default: false },
  "variant-select-mode": { type: "string" },
  timestamp: { type: "string" },
  exclude: { type: "string", multiple: true },
  include: { type: "string", multiple: true },
  "max-steps": { type: "string" },
  "timeout-ms": { type: "string" },
  "max-memory-mb": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "v", default: false },
} as const;

class UsageError extends Error {}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_MEMORY_MB = 1024;

function toNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative number, got '${value}'`);
  return n;
}

function resolveOptions(values: Record<string, unknown>): ResolveOptions {
  const mode = values["variant-select-mode"] as string | undefined;
  const modes = Object.values(VariantSelectMode) as string[];
  if (mode !== undefined && !modes.includes(mode)) {
    throw new UsageError(`--variant-select-mode must be one of ${modes.join(", ")}, got '${mode}'`);
  }
  return {
    variantSelectMode: mode as VariantSelectMode | undefined,
    timestamp: toNumber("timestamp", values.timestamp as string | undefined),
    filters: {
      exclude: (values.exclude as string[] | undefined) ?? [],
      include: (values.include as string[] | undefined) ?? [],
    },
    maxSteps: toNumber("max-steps", values["max-steps"] as string | undefined),
    timeoutMs: toNumber("timeout-ms", values["timeout-ms"] as string | undefined),
  };
}

function jsonLine(index: number, outcome: ResolveResult | ProfileDepsError, ms: number): string {
  const base = { index, ms: Math.round(ms * 1000) / 1000 };
  if (outcome instanceof ProfileDepsError) {
    return JSON.stringify({
      ...base,
      status: "failed",
      resolve: [],
      error: { code: outcome.code, message: outcome.message },
    });
  }
  if (outcome.status === "solved") {
    return JSON.stringify({
      ...base,
      status: "solved",
      resolve: outcome.packages.map(formatResolvedPackage),
    });
  }
  return JSON.stringify({
    ...base,
    status: "failed",
    resolve: [],
    failure: { kind: outcome.failure.kind, description: outcome.failure.description },
  });
}

async function resolveCommand(
  values: Record<string, unknown>,
  requests: string[],
  io: CliIo,
): Promise<number> {
  const repoPath = values.repo as string | undefined;
  if (repoPath === undefined) throw new UsageError("resolve needs --repo FILE");
  const options = resolveOptions(values);
  const requestsPath = values.requests as string | undefined;
  if (requestsPath === undefined && requests.length === 0)
    throw new UsageError("resolve needs REQUEST... or --requests FILE");
  if (requestsPath !== undefined && requests.length > 0)
    throw new UsageError("give either REQUEST... or --requests FILE, not both");
  const repository = await loadMemoryRepository(repoPath);
  const pool = createResolverPool({
    size: 1,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxMemoryMb:
      toNumber("max-memory-mb", values["max-memory-mb"] as string | undefined) ?? DEFAULT_MAX_MEMORY_MB,
  });
  try {
    return await resolveWith(pool.resolve, repository, options, requestsPath, requests, values, io);
  } finally {
    await pool.close();
  }
}

async function resolveWith(
  resolve: Resolver,
  repository: MemoryRepository,
  options: ResolveOptions,
  requestsPath: string | undefined,
  requests: string[],
  values: Record<string, unknown>,
  io: CliIo,
): Promise<number> {
  if (requestsPath === undefined) {
    const result = await resolve(requests, repository, options);
    if (values.json) {
      io.stdout(jsonLine(0, result, result.stats.elapsedMs));
      return result.status === "solved" ? 0 : 1;
    }
    if (result.status === "failed") {
      io.stderr(`resolve failed (${result.failure.kind}): ${result.failure.description}`);
      return 1;
    }
    for (const pkg of result.packages) io.stdout(formatResolvedPackage(pkg));
    return 0;
  }

  const lists = await readRequestsFile(requestsPath);
  let exit = 0;
  for (let index = 0; index < lists.length; index++) {
    const start = performance.now();
    let outcome: ResolveResult | ProfileDepsError;
    try {
      outcome = await resolve(lists[index]!, repository, options);
    } catch (error) {
      if (!(error instanceof ProfileDepsError)) throw error;
      outcome = error;
    }
    const ms = performance.now() - start;
    if (outcome instanceof ProfileDepsError || outcome.status === "failed") exit = 1;
    if (values.json) io.stdout(jsonLine(index, outcome, ms));
    else if (outcome instanceof ProfileDepsError)
      io.stdout(`#${index} error ${outcome.code}: ${outcome.message}`);
    else if (outcome.status === "failed")
      io.stdout(
        `#${index} failed (${outcome.failure.kind}) ${ms.toFixed(1)} ms: ${outcome.failure.description}`,
      );
    else
      io.stdout(
        `#${index} solved ${ms.toFixed(1)} ms: ${outcome.packages.map(formatResolvedPackage).join(" ")}`,
      );
  }
  return exit;
}

async function benchCommand(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const repoPath = values.repo as string | undefined;
  const requestsPath = values.requests as string | undefined;
  if (repoPath === undefined || requestsPath === undefined)
    throw new UsageError("bench needs --repo FILE and --requests FILE");
  const run = await runBenchmark(repoPath, requestsPath, resolveOptions(values));
  if (values.json) {
    const { timesMs: _times, ...summary } = run;
    io.stdout(JSON.stringify(summary));
    return 0;
  }
  const t = run.timing;
  const rows: [string, string][] = [
    ["repository", `${run.families} families, ${run.packages} packages`],
    ["requests", `${run.requests} (${run.solved} solved, ${run.failed} failed, ${run.errors} errors)`],
    ["load", `${run.loadMs.toFixed(1)} ms`],
    ["median", `${t.medianMs.toFixed(2)} ms`],
    ["mean", `${t.meanMs.toFixed(2)} ms`],
    ["max", `${t.maxMs.toFixed(2)} ms`],
    ["total", `${(t.totalMs / 1000).toFixed(3)} s`],
    ["peak RSS", `${run.peakRssMb.toFixed(1)} MB`],
  ];
  for (const [label, value] of rows) io.stdout(`${label.padEnd(11)} ${value}`);
  return 0;
}

/** Runs the `portside-rez` command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: optionSpec,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (values.version) {
      io.stdout(packageJson.version);
      return 0;
    }
    if (values.help || command === undefined || command === "help") {
      io.stdout(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === "resolve") return await resolveCommand(values, rest, io);
    if (command === "bench") return await benchCommand(values, io);
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`portside-rez: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ResolveBudgetError) {
      io.stderr(
        `portside-rez: ${error.message}; give it more with --timeout-ms or --max-memory-mb, or simplify the request`,
      );
      return 2;
    }
    if (error instanceof ProfileDepsError) {
      io.stderr(`portside-rez: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
