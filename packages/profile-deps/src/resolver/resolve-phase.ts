import { PackageFamilyNotFoundError } from "../errors.js";
import type { PackageVariant } from "../repository/package.js";
import type { Requirement } from "../version/requirement.js";
import { RequirementList } from "../version/requirement-list.js";
import { type DependencyGraph, dependencyOrder, findCycle } from "./dependency-graph.js";
import type { FailureReason } from "./failure.js";
import { PackageScope } from "./package-scope.js";
import type { SolveContext } from "./solve-context.js";

export const PhaseStatus = {
  pending: "pending",
  solved: "solved",
  exhausted: "exhausted",
  failed: "failed",
  cyclic: "cyclic",
} as const;

export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];

const PAIR = 0x10000;

/**
 * One state of the solve (Rez's resolve phase): a scope per package name. Solving
 * a phase extracts common dependencies, intersects and adds scopes, and reduces
 * scopes against each other until nothing changes; the phase is then solved,
 * failed, or exhausted and must be split.
 */
export class ResolvePhase {
  readonly context: SolveContext;
  readonly scopes: readonly PackageScope[];
  readonly status: PhaseStatus;
  readonly failure: FailureReason | null;
  readonly changed: ReadonlySet<number>;

  constructor(
    context: SolveContext,
    scopes: readonly PackageScope[],
    status: PhaseStatus,
    failure: FailureReason | null,
    changed: ReadonlySet<number>,
  ) {
    this.context = context;
    this.scopes = scopes;
    this.status = status;
    this.failure = failure;
    this.changed = changed;
  }

  static initial(context: SolveContext): ResolvePhase {
    const scopes = context.request.requirements.map((r) => PackageScope.create(r, context));
    return new ResolvePhase(context, scopes, PhaseStatus.pending, null, new Set(scopes.keys()));
  }

  static failedRequest(context: SolveContext, conflict: readonly [Requirement, Requirement]): ResolvePhase {
    const failure: FailureReason = {
      kind: "conflict",
      conflicts: [{ dependency: conflict[0], conflictingRequest: conflict[1] }],
    };
    return new ResolvePhase(context, [], PhaseStatus.failed, failure, new Set());
  }

  solve(): ResolvePhase {
    if (this.status !== PhaseStatus.pending) return this;
    const scopes = [...this.scopes];
    const indexOf = new Map<string, number>();
    /** Scopes replaced or added since they were last extracted; others have nothing left to extract. */
    const dirty = new Set<number>();
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i]!;
      indexOf.set(scope.name, i);
      if (scope.slice?.extractable) dirty.add(i);
    }
    let changed = new Set(this.changed);
    const extractions = new Map<string, Requirement>();
    const fail = (failure: FailureReason) =>
      new ResolvePhase(this.context, scopes, PhaseStatus.failed, failure, new Set());

    for (;;) {
      const previousCount = scopes.length;
      const widened = new Set<number>();

      for (;;) {
        const extracted: Requirement[] = [];
        const order = [...dirty].sort((a, b) => a - b);
        dirty.clear();
        for (const i of order) {
          let scope = scopes[i]!;
          while (scope.slice?.extractable) {
            const next = scope.extract();
            const request = next.request!;
            extracted.push(request);
            extractions.set(`${scope.name}\u0000${request.name}`, request);
            scope = next.scope;
          }
          scopes[i] = scope;
        }
        if (extracted.length === 0) break;

        const merged = new RequirementList(extracted);
        if (merged.conflict !== null) {
          const [dependency, conflictingRequest] = merged.conflict;
          return fail({ kind: "conflict", conflicts: [{ dependency, conflictingRequest }] });
        }

        const targets: number[] = [];
        for (const request of merged.requirements) {
          const i = indexOf.get(request.name);
          if (i !== undefined) targets.push(i);
        }
        targets.sort((a, b) => a - b);
        for (const i of targets) {
          const scope = scopes[i]!;
          const request = merged.get(scope.name)!;
          const narrowed = scope.intersect(request.range!);
          if (narrowed === null) {
            return fail({ kind: "conflict", conflicts: [{ dependency: request, conflictingRequest: scope.request }] });
          }
          if (narrowed !== scope) {
            scopes[i] = narrowed;
            changed.add(i);
            dirty.add(i);
            if (scope.isConflict && !narrowed.isConflict) widened.add(i);
          }
        }

        for (const request of merged.requirements) {
          if (indexOf.has(request.name)) continue;
          let scope: PackageScope;
          try {
            scope = PackageScope.create(request, this.context);
          } catch (error) {
            if (error instanceof PackageFamilyNotFoundError) {
              const requiredBy: string[] = [];
              for (const [key, value] of extractions) {
                if (value.name === request.name) requiredBy.push(key.slice(0, key.indexOf("\u0000")));
              }
              if (requiredBy.length > 0) throw new PackageFamilyNotFoundError(request.name, requiredBy, { cause: error });
            }
            throw error;
          }
          indexOf.set(scope.name, scopes.length);
          dirty.add(scopes.length);
          scopes.push(scope);
        }
      }

      const count = scopes.length;
      if (count === previousCount && changed.size === 0 && widened.size === 0) break;

      const failure = reduceScopes(scopes, indexOf, previousCount, changed, widened, dirty);
      if (failure !== null) return fail(failure);
      changed = new Set();
    }

    const solved = scopes.every((s) => s.isSolved());
    return new ResolvePhase(
      this.context,
      scopes,
      solved ? PhaseStatus.solved : PhaseStatus.exhausted,
      null,
      new Set(),
    );
  }

  /** Splits the first scope that can be split: the preferred phase first. */
  split(): [ResolvePhase, ResolvePhase] {
    const first: PackageScope[] = [];
    const second: PackageScope[] = [];
    let splitAt = -1;
    for (let i = 0; i < this.scopes.length; i++) {
      const scope = this.scopes[i]!;
      if (splitAt < 0) {
        const parts = scope.split();
        if (parts !== null) {
          first.push(parts[0]);
          second.push(parts[1]);
          splitAt = i;
          continue;
        }
      }
      first.push(scope);
      second.push(scope);
    }
    if (splitAt < 0) throw new Error("Unexpected solver state: an exhausted phase has no scope to split");
    const changed = new Set([splitAt]);
    return [
      new ResolvePhase(this.context, first, PhaseStatus.pending, null, changed),
      new ResolvePhase(this.context, second, PhaseStatus.pending, null, changed),
    ];
  }

  /** Detects cycles and orders scopes dependencies-first; drops conflict scopes. */
  finalise(): ResolvePhase {
    const byName = new Map<string, PackageScope>();
    for (const s of this.scopes) if (!s.isConflict) byName.set(s.name, s);
    const graph = this.#graph(byName);
    const cycle = findCycle(graph);
    if (cycle !== null) {
      const packages = cycle.map((name) => byName.get(name)!.solvedVariant()!.package.qualifiedName);
      return new ResolvePhase(this.context, [...byName.values()], PhaseStatus.cyclic, { kind: "cycle", packages }, new Set());
    }
    const order = dependencyOrder(
      graph,
      this.context.request.requirements.map((r) => r.name),
    );
    const scopes = order.map((name) => byName.get(name)!);
    return new ResolvePhase(this.context, scopes, PhaseStatus.solved, null, new Set());
  }

  #graph(byName: ReadonlyMap<string, PackageScope>): DependencyGraph {
    const edges = new Map<string, string[]>();
    for (const [name, scope] of byName) {
      const variant = scope.solvedVariant();
      if (variant === null) continue;
      const targets: string[] = [];
      for (const r of variant.requires.requirements) if (!r.conflict) targets.push(r.name);
      edges.set(name, targets);
    }
    return { nodes: new Set(byName.keys()), edges };
  }

  solvedVariants(): PackageVariant[] {
    const variants: PackageVariant[] = [];
    for (const s of this.scopes) {
      const v = s.solvedVariant();
      if (v !== null) variants.push(v);
    }
    return variants;
  }

  solvedEphemerals(): Requirement[] {
    return this.scopes.filter((s) => s.ephemeral && !s.isConflict).map((s) => s.request);
  }

  toString(): string {
    return this.scopes.join(" ");
  }
}

/**
 * Reduces scopes against each other until no scope changes, in Rez's order:
 * pending (x, y) pairs sorted, taken from the end, re-queueing (j, x) whenever
 * x narrows. Pairs where x cannot be affected by y (x has no variants, or none
 * of them mentions y's family) are left out: they never change anything.
 * Narrowed scopes are added to `dirty`. Returns the total reduction that fails
 * the phase, if any.
 */
function reduceScopes(
  scopes: PackageScope[],
  indexOf: ReadonlyMap<string, number>,
  previousCount: number,
  changed: ReadonlySet<number>,
  widened: ReadonlySet<number>,
  dirty: Set<number>,
): FailureReason | null {
  const count = scopes.length;
  const targets = [...changed];
  for (let i = previousCount; i < count; i++) if (!changed.has(i)) targets.push(i);
  const pending: number[] = [];
  const relevant: number[] = [];
  for (let x = 0; x < count; x++) {
    const slice = scopes[x]!.slice;
    if (slice === null) continue;
    const fams = slice.famRequires;
    relevant.length = 0;
    if (x >= previousCount || widened.has(x)) {
      for (const fam of fams) {
        const y = indexOf.get(fam);
        if (y !== undefined && y !== x) relevant.push(y);
      }
    } else {
      for (const y of targets) if (y !== x && fams.has(scopes[y]!.name)) relevant.push(y);
    }
    if (relevant.length > 1) relevant.sort((a, b) => a - b);
    for (const y of relevant) pending.push(x * PAIR + y);
  }
  while (pending.length > 0) {
    const pair = pending.pop()!;
    const x = Math.floor(pair / PAIR);
    const y = pair % PAIR;
    const scope = scopes[x]!;
    const { scope: reduced, reductions } = scope.reduceBy(scopes[y]!.request);
    if (reduced === null) return { kind: "reduction", reductions };
    if (reduced !== scope) {
      scopes[x] = reduced;
      dirty.add(x);
      const name = reduced.name;
      for (let j = 0; j < count; j++) {
        if (j === x) continue;
        const slice = scopes[j]!.slice;
        if (slice !== null && slice.famRequires.has(name)) pending.push(j * PAIR + x);
      }
    }
  }
  return null;
}
