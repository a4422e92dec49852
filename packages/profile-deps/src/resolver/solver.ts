import { ResolveBudgetError } from "../errors.js";
import { describeFailure } from "./failure.js";
import type { PackageScope } from "./package-scope.js";
import { PhaseStatus, ResolvePhase } from "./resolve-phase.js";
import type { SolveContext } from "./solve-context.js";
import type { ResolveProgress, ResolveResult } from "./types.js";

export interface SolverBudget {
  readonly maxSteps?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly onProgress?: ((progress: ResolveProgress) => void) | undefined;
}

const PROGRESS_EVERY_STEPS = 256;
/**
 * Past this many steps (the 188 benchmark requests take at most a few hundred), Rez's
 * order is abandoned: the search restarts and splits first the package most often involved
 * in the failures seen so far, relative to its size ("dom/wdeg"), so a conflict between two
 * packages is met near the top of the tree instead of under every choice of the unrelated
 * ones split before them.
 */
const RESTART_AFTER_STEPS = 5_000;
const PROGRESS_EVERY_MS = 200;

/**
 * Rez's solve loop: a stack of phases. An exhausted phase is split in two, the
 * preferred half solved first and the other kept below it; a failed phase is
 * discarded for the next one down. A solved phase containing a cycle fails the
 * whole solve. Reports the first failure, or the cycle.
 */
export function runSolver(context: SolveContext, budget: SolverBudget = {}): ResolveResult {
  const started = performance.now();
  const conflict = context.request.conflict;
  const stack: ResolvePhase[] = [
    conflict === null ? ResolvePhase.initial(context) : ResolvePhase.failedRequest(context, conflict),
  ];
  const failed: ResolvePhase[] = [];
  let steps = 0;
  const maxSteps = budget.maxSteps ?? Number.POSITIVE_INFINITY;
  const deadline = budget.timeoutMs === undefined ? Number.POSITIVE_INFINITY : started + budget.timeoutMs;
  const onProgress = budget.onProgress;
  let reportedAt = started;
  const progress = (): ResolveProgress => ({
    steps,
    failures: failed.length,
    pendingPhases: stack.length,
    elapsedMs: performance.now() - started,
  });
  const stopped = (reason: string) => {
    const { elapsedMs, ...rest } = progress();
    return new ResolveBudgetError(reason, steps, elapsedMs, { details: rest });
  };

  /** How often each package took part in a failure. */
  const weights = new Map<string, number>();
  const weigh = (phase: ResolvePhase) => {
    const reason = phase.failure;
    if (reason === null) return;
    const names =
      reason.kind === "conflict"
        ? reason.conflicts.flatMap((c) => [c.dependency.name, c.conflictingRequest.name])
        : reason.kind === "reduction"
          ? reason.reductions.flatMap((r) => [r.variant.name, r.dependency.name, r.conflictingRequest.name])
          : [];
    for (const name of names) weights.set(name, (weights.get(name) ?? 0) + 1);
  };
  const mostInvolved = (splittable: readonly number[], scopes: readonly PackageScope[]): number => {
    let best = splittable[0]!;
    let bestScore = -1;
    for (const i of splittable) {
      const scope = scopes[i]!;
      const score = (weights.get(scope.name) ?? 0) / (scope.slice?.length ?? 1);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  };
  let choose: typeof mostInvolved | undefined;

  const unsolved = (): boolean => {
    const top = stack[stack.length - 1]!;
    if (top.status === PhaseStatus.cyclic) return false;
    if (stack.length > 1) return top.status !== PhaseStatus.solved;
    return top.status === PhaseStatus.pending || top.status === PhaseStatus.exhausted;
  };

  while (unsolved()) {
    if (steps >= maxSteps) throw stopped(`step budget of ${maxSteps} reached`);
    if (performance.now() > deadline) throw stopped(`time budget of ${budget.timeoutMs} ms reached`);
    if (onProgress !== undefined && steps % PROGRESS_EVERY_STEPS === 0 && steps > 0) {
      const now = performance.now();
      if (now - reportedAt >= PROGRESS_EVERY_MS) {
        reportedAt = now;
        onProgress(progress());
      }
    }
    if (choose === undefined && steps >= RESTART_AFTER_STEPS && conflict === null) {
      choose = mostInvolved;
      stack.length = 0;
      failed.length = 0;
      stack.push(ResolvePhase.initial(context));
    }
    let phase = stack.pop()!;
    if (phase.status === PhaseStatus.failed) {
      failed.push(phase);
      weigh(phase);
      phase = stack.pop()!;
    }
    if (phase.status === PhaseStatus.exhausted) {
      const [preferred, other] = phase.split(choose);
      stack.push(other);
      phase = preferred;
    }
    const next = phase.solve();
    steps++;
    stack.push(next.status === PhaseStatus.solved ? next.finalise() : next);
  }

  const top = stack[stack.length - 1]!;
  const stats = { steps, failures: failed.length, elapsedMs: performance.now() - started };
  if (top.status === PhaseStatus.solved) {
    return {
      status: "solved",
      packages: top.solvedVariants().map((v) => ({
        name: v.name,
        version: v.version.text,
        variantIndex: v.index,
      })),
      ephemerals: top.solvedEphemerals().map(String),
      stats,
    };
  }
  const reported = top.status === PhaseStatus.cyclic ? top : (failed[0] ?? top);
  return {
    status: "failed",
    failure: describeFailure(reported.failure!),
    stats: { ...stats, failures: failed.length + 1 },
  };
}
