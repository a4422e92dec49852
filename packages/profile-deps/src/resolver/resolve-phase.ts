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
  /** Position of each scope by name; shared read-only between phases with the same scope names. */
  readonly indexOf: ReadonlyMap<string, number>;

  constructor(
    context: SolveContext,
    scopes: readonly PackageScope[],
    status: PhaseStatus,
    failure: FailureReason | null,
    changed: ReadonlySet<number>,
    indexOf: ReadonlyMap<string, number>,
  ) {
    this.context = context;
    this.scopes = scopes;
    this.status = status;
    this.failure = failure;
    this.changed = changed;
    this.indexOf = indexOf;
  }

  static initial(context: SolveContext): ResolvePhase {
    const scopes = context.request.requirements.map((r) => PackageScope.create(r, context));
    const indexOf = new Map(scopes.map((s, i) => [s.name, i]));
    return new ResolvePhase(context, scopes, PhaseStatus.pending, null, new Set(scopes.keys()), indexOf);
  }

  static failedRequest(context: SolveContext, conflict: readonly [Requirement, Requirement]): ResolvePhase {
    const failure: FailureReason = {
      kind: "conflict",
      conflicts: [{ dependency: conflict[0], conflictingRequest: conflict[1] }],
    };
    return new ResolvePhase(context, [], PhaseStatus.failed, failure, new Set(), new Map());
  }

  solve(): ResolvePhase {
    if (this.status !== PhaseStatus.pending) return this;
    const scopes = [...this.scopes];
    let indexOf = this.indexOf;
    let ownIndex: Map<string, number> | null = null;
    /** Scopes replaced or added since they were last extracted: a phase is split from an exhausted one. */
    const dirty = new Set(this.changed);
    let changed = new Set(this.changed);
    const extractions = new Map<string, Requirement>();
    const fail = (failure: FailureReason) =>
      new ResolvePhase(this.context, scopes, PhaseStatus.failed, failure, new Set(), indexOf);

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
          ownIndex ??= new Map(indexOf);
          indexOf = ownIndex;
          ownIndex.set(scope.name, scopes.length);
          dirty.add(scopes.length);
          scopes.push(scope);
        }
      }

      const count = scopes.length;
      if (count === previousCount && changed.size === 0 && widened.size === 0) break;

      const failure = reduceScopes(this.context, scopes, indexOf, previousCount, changed, widened, dirty);
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
      indexOf,
    );
  }

  /** Splits the first scope that can be split: the preferred phase first. */
  split(): [ResolvePhase, ResolvePhase] {
    for (let i = 0; i < this.scopes.length; i++) {
      const parts = this.scopes[i]!.split();
      if (parts === null) continue;
      const first = this.scopes.slice();
      const second = this.scopes.slice();
      first[i] = parts[0];
      second[i] = parts[1];
      const changed = new Set([i]);
      return [
        new ResolvePhase(this.context, first, PhaseStatus.pending, null, changed, this.indexOf),
        new ResolvePhase(this.context, second, PhaseStatus.pending, null, changed, this.indexOf),
      ];
    }
    throw new Error("Unexpected solver state: an exhausted phase has no scope to split");
  }

  /** Detects cycles and orders scopes dependencies-first; drops conflict scopes. */
  finalise(): ResolvePhase {
    const byName = new Map<string, PackageScope>();
    for (const s of this.scopes) if (!s.isConflict) byName.set(s.name, s);
    const graph = this.#graph(byName);
    const cycle = findCycle(graph);
    if (cycle !== null) {
      const packages = cycle.map((name) => byName.get(name)!.solvedVariant()!.package.qualifiedName);
      return new ResolvePhase(
        this.context,
        [...byName.values()],
        PhaseStatus.cyclic,
        { kind: "cycle", packages },
        new Set(),
        this.indexOf,
      );
    }
    const order = dependencyOrder(
      graph,
      this.context.request.requirements.map((r) => r.name),
    );
    const scopes = order.map((name) => byName.get(name)!);
    return new ResolvePhase(this.context, scopes, PhaseStatus.solved, null, new Set(), this.indexOf);
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
  context: SolveContext,
  scopes: PackageScope[],
  indexOf: ReadonlyMap<string, number>,
  previousCount: number,
  changed: ReadonlySet<number>,
  widened: ReadonlySet<number>,
  dirty: Set<number>,
): FailureReason | null {
  const count = scopes.length;
  const everything = (x: number) => x >= previousCount || widened.has(x);
  const pending: number[] = [];
  for (let x = previousCount; x < count; x++) pairsFor(x);
  for (const x of widened) if (x < previousCount) pairsFor(x);
  const targets = new Set(changed);
  for (let y = previousCount; y < count; y++) targets.add(y);
  for (const y of targets) {
    const name = scopes[y]!.name;
    for (const dependent of context.dependentsOf(name) ?? []) {
      const x = indexOf.get(dependent);
      if (x === undefined || x === y || everything(x)) continue;
      const slice = scopes[x]!.slice;
      if (slice !== null && slice.famRequires.has(name)) pending.push(x * PAIR + y);
    }
  }
  pending.sort((a, b) => a - b);

  const requeue: number[] = [];
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
      requeue.length = 0;
      for (const dependent of context.dependentsOf(name) ?? []) {
        const j = indexOf.get(dependent);
        if (j === undefined || j === x) continue;
        const slice = scopes[j]!.slice;
        if (slice !== null && slice.famRequires.has(name)) requeue.push(j);
      }
      requeue.sort((a, b) => a - b);
      for (const j of requeue) pending.push(j * PAIR + x);
    }
  }
  return null;

  function pairsFor(x: number): void {
    const slice = scopes[x]!.slice;
    if (slice === null) return;
    for (const fam of slice.famRequires) {
      const y = indexOf.get(fam);
      if (y !== undefined && y !== x) pending.push(x * PAIR + y);
    }
  }
}
