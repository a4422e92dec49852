import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import * as errors from "../../errors.js";
import type { PackageFamily } from "../../repository/package-family.js";
import { createPackageFilter } from "../../repository/package-filter.js";
import type { PackageRepository } from "../../repository/package-repository.js";
import { parseRequirement, type Requirement } from "../../version/requirement.js";
import { reachableFamilies } from "../reachable-families.js";
import type { ResolveOptions, ResolveProgress, ResolveResult } from "../types.js";
import {
  type FamilyDefinition,
  type ResolveJob,
  serialiseFamily,
  toFamilyDefinition,
  type WorkerReply,
} from "./worker-protocol.js";
import { workerScript } from "./worker-script.js";

/** Options of `createResolverPool`: how many worker threads, and each resolve's time and memory budget. */
export interface ResolverPoolOptions {
  /** Worker threads; default the number of cores minus one, at least 1. */
  readonly size?: number;
  /** Time budget of one resolve, from the moment a worker starts it (default 10 s). */
  readonly timeoutMs?: number;
  /** Heap (old generation) budget of each worker, in MB (default 512). */
  readonly maxMemoryMb?: number;
}

/** Resolves as `resolve` does, on a worker thread, within a time and memory budget. */
export type Resolver = (
  request: readonly (string | Requirement)[],
  repository: PackageRepository,
  options?: ResolveOptions,
) => Promise<ResolveResult>;

/** Resolves on worker threads within a time and memory budget, so a pathological request cannot block a server. */
export interface ResolverPool {
  readonly resolve: Resolver;
  readonly size: number;
  /** Terminates every worker; pending resolves fail. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_MEMORY_MB = 512;
/** A worker solving past its own deadline (one huge step) is terminated this long after it. */
const WATCHDOG_GRACE_MS = 1_000;
/** Families a worker may hold before the pool has it start afresh. */
const MAX_FAMILIES_PER_WORKER = 20_000;
/** Families serialised in one turn of the event loop before letting other work in. */
const FAMILIES_PER_TURN = 25;

interface Job {
  readonly message: Omit<ResolveJob, "definitions" | "reset">;
  readonly families: ReadonlyMap<string, PackageFamily | undefined>;
  readonly timeoutMs: number;
  readonly onProgress: ((progress: ResolveProgress) => void) | undefined;
  readonly settle: (outcome: { result: ResolveResult } | { error: Error }) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly known: Set<number>;
  job: Job | null;
  progress: ResolveProgress | null;
  startedAt: number;
  watchdog: NodeJS.Timeout | null;
}

/** A serialised error from a worker, as an instance of the same class of this package. */
function reviveError(error: Extract<WorkerReply, { type: "error" }>["error"]): Error {
  const ctor = (errors as Record<string, unknown>)[error.name];
  const proto = typeof ctor === "function" ? (ctor as { prototype: object }).prototype : Error.prototype;
  const revived = Object.create(proto) as Error & Record<string, unknown>;
  Object.assign(revived, error.fields, {
    name: error.name,
    message: error.message,
    stack: `${error.name}: ${error.message}\n    at resolver worker`,
    ...(error.code === undefined ? {} : { code: error.code, details: error.details ?? {} }),
  });
  return revived;
}

function budgetError(reason: string, progress: ResolveProgress | null, elapsedMs: number, budget: string) {
  const { steps = 0, failures = 0, pendingPhases = 0 } = progress ?? {};
  return new errors.ResolveBudgetError(reason, steps, elapsedMs, {
    details: { budget, failures, pendingPhases },
  });
}

/**
 * A pool of worker threads that resolve off the main thread. Each resolve runs within a
 * time budget (the solver stops itself; a worker that does not is terminated) and each
 * worker within a heap budget (`resourceLimits`); either way the resolve fails with a
 * `ResolveBudgetError` carrying its progress, and the worker is replaced. The main thread
 * only gathers the families a request can reach and sends each worker the ones it lacks.
 */
export function createResolverPool(options: ResolverPoolOptions = {}): ResolverPool {
  const size = Math.max(1, Math.floor(options.size ?? availableParallelism() - 1));
  const poolTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  const familyIds = new WeakMap<PackageFamily, number>();
  let nextFamilyId = 1;
  let nextJobId = 1;
  let closed = false;

  const idOf = (family: PackageFamily): number => {
    let id = familyIds.get(family);
    if (id === undefined) {
      id = nextFamilyId++;
      familyIds.set(family, id);
    }
    return id;
  };

  const finish = (slot: Slot, outcome: { result: ResolveResult } | { error: Error }) => {
    const job = slot.job;
    if (slot.watchdog !== null) clearTimeout(slot.watchdog);
    slot.job = null;
    slot.progress = null;
    slot.watchdog = null;
    // An idle worker does not keep the process alive; a busy one does, until it answers.
    slot.worker.unref();
    job?.settle(outcome);
  };

  const retire = (slot: Slot, error: Error) => {
    const index = slots.indexOf(slot);
    if (index !== -1) slots.splice(index, 1);
    finish(slot, { error });
    void slot.worker.terminate();
    dispatch();
  };

  const spawn = (): Slot => {
    const { url, execArgv } = workerScript();
    const worker = new Worker(url, {
      ...(execArgv === undefined ? {} : { eval: true, execArgv }),
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    worker.unref();
    const slot: Slot = { worker, known: new Set(), job: null, progress: null, startedAt: 0, watchdog: null };
    worker.on("message", (reply: WorkerReply) => {
      if (slot.job === null || reply.jobId !== slot.job.message.jobId) return;
      if (reply.type === "progress") {
        slot.progress = reply.progress;
        slot.job.onProgress?.(reply.progress);
        return;
      }
      finish(slot, reply.type === "result" ? { result: reply.result } : { error: reviveError(reply.error) });
      dispatch();
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const elapsed = performance.now() - slot.startedAt;
      retire(
        slot,
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? budgetError(`memory budget of ${maxMemoryMb} MB reached`, slot.progress, elapsed, "memory")
          : new errors.ProfileDepsError(errors.ProfileDepsErrorCode.resolveBudgetExceeded, error.message, {
              cause: error,
            }),
      );
    });
    worker.on("exit", () => {
      if (slots.includes(slot)) retire(slot, new Error("resolver worker exited unexpectedly"));
    });
    slots.push(slot);
    return slot;
  };

  const start = (slot: Slot, job: Job) => {
    const definitions: FamilyDefinition[] = [];
    const reset = slot.known.size > MAX_FAMILIES_PER_WORKER;
    if (reset) slot.known.clear();
    for (const family of job.families.values()) {
      if (family === undefined) continue;
      const id = idOf(family);
      if (slot.known.has(id)) continue;
      slot.known.add(id);
      definitions.push(toFamilyDefinition(id, family));
    }
    slot.job = job;
    slot.progress = null;
    slot.startedAt = performance.now();
    slot.worker.ref();
    slot.watchdog = setTimeout(() => {
      const elapsed = performance.now() - slot.startedAt;
      retire(slot, budgetError(`time budget of ${job.timeoutMs} ms reached`, slot.progress, elapsed, "time"));
    }, job.timeoutMs + WATCHDOG_GRACE_MS);
    slot.watchdog.unref();
    slot.worker.postMessage({ ...job.message, definitions, reset } satisfies ResolveJob);
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? spawn() : undefined);
      if (slot === undefined) return;
      start(slot, queue.shift()!);
    }
  };

  const resolve: Resolver = async (request, repository, resolveOptions = {}) => {
    if (closed) throw new Error("the resolver pool is closed");
    const requirements = request.map((r) => (typeof r === "string" ? parseRequirement(r) : r));
    createPackageFilter(resolveOptions.filters, resolveOptions.timestamp);
    // Many resolves submitted at once each gather their families in a turn of their own.
    await new Promise((next) => setImmediate(next));
    const families = await reachableFamilies(requirements, repository);
    // Families new to the pool are turned into JSON here, a few at a time, not when a worker starts the job.
    let serialised = 0;
    for (const family of families.values()) {
      if (family !== undefined && serialiseFamily(family) && ++serialised % FAMILIES_PER_TURN === 0)
        await new Promise((next) => setImmediate(next));
    }
    const { onProgress, ...rest } = resolveOptions;
    const timeoutMs = Math.min(poolTimeoutMs, rest.timeoutMs ?? Number.POSITIVE_INFINITY);
    const lookup = [...families].map(([name, family]) => [name, family ? idOf(family) : null] as const);
    return new Promise<ResolveResult>((settleResolve, settleReject) => {
      queue.push({
        message: {
          type: "resolve",
          jobId: nextJobId++,
          request: request.map((r) => (typeof r === "string" ? r : String(r))),
          options: { ...rest, timeoutMs },
          lookup,
        },
        families,
        timeoutMs,
        onProgress,
        settle: (outcome) =>
          "result" in outcome ? settleResolve(outcome.result) : settleReject(outcome.error),
      });
      dispatch();
    });
  };

  return {
    resolve,
    size,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle({ error: new Error("the resolver pool was closed") });
      const all = slots.splice(0);
      for (const slot of all) finish(slot, { error: new Error("the resolver pool was closed") });
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
