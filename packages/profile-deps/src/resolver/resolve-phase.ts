import { PackageFamilyNotFoundError } from "../errors.js";
import type { PackageVariant } from "../repository/package.js";
import type { Requirement } from "../version/requirement.js";
import { RequirementList } from "../version/requirement-list.js";
import { type DependencyGraph, dependencyOrder, findCycle } from "./dependency-graph.js";
import type { FailureReason } from "./failure.js";
import { PackageScope } from "./package-scope.js";
import { PairStack } from "./pair-stack.js";
import { ScopeIndex } from "./scope-index.js";
import type { SolveContext } from "./solve-context.js";

export const PhaseStatus = {
  pending: "pending",
  solved: "solved",
  exhausted: "exhausted",
  failed: "failed",
  cyclic: "cyclic",
} as const;

export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];

const MAX_SCOPES = 0xffff;

/**
 * One state of the solve (Rez's resolve phase): a scope per package name. Solving
 * a phase extracts common dependencies, intersects and adds scopes, and reduces
 * scopes against each other until nothing changes; the phase is then solved,
 * failed, or exhausted and must be split.
 *
 * A phase split from another keeps its parent's scopes and the one scope that
 * differs, and builds its own list only when solved.
 */
export class ResolvePhase {
  readonly context: SolveContext;
  readonly status: PhaseStatus;
  readonly failure: FailureReason | null;
  /** Scopes narrowed since the phase was last solved (the split one). */
  readonly changed: readonly number[];
  readonly index: ScopeIndex;
  #scopes: readonly PackageScope[];
  readonly #replaceAt: number;
  readonly #replacement: PackageScope | null;

  constructor(
    context: SolveContext,
    status: PhaseStatus,
    failure: FailureReason | null,
    scopes: readonly PackageScope[],
    index: ScopeIndex,
    changed: readonly number[] = [],
    replaceAt = -1,
    replacement: PackageScope | null = null,
  ) {
    this.context = context;
    this.status = status;
    this.failure = failure;
    this.#scopes = scopes;
    this.index = index;
    this.changed = changed;
    this.#replaceAt = replaceAt;
    this.#replacement = replacement;
  }

  static initial(context: SolveContext): ResolvePhase {
    const scopes = context.request.requirements.map((r) => PackageScope.create(r, context));
    const index = ScopeIndex.of(scopes.map((s) => s.name));
    return new ResolvePhase(context, PhaseStatus.pending, null, scopes, index, [...scopes.keys()]);
  }

  static failedRequest(context: SolveContext, conflict: readonly [Requirement, Requirement]): ResolvePhase {
    const failure: FailureReason = {
      kind: "conflict",
      conflicts: [{ dependency: conflict[0], conflictingRequest: conflict[1] }],
    };
    return new ResolvePhase(context, PhaseStatus.failed, failure, [], ScopeIndex.of([]));
  }

  get scopes(): readonly PackageScope[] {
    if (this.#replacement !== null && this.#scopes[this.#replaceAt] !== this.#replacement) {
      const own = this.#scopes.slice();
      own[this.#replaceAt] = this.#replacement;
      this.#scopes = own;
    }
    return this.#scopes;
  }

  solve(): ResolvePhase {
    if (this.status !== PhaseStatus.pending) return this;
    const context = this.context;
    const scopes = this.#scopes.slice();
    if (this.#replacement !== null) scopes[this.#replaceAt] = this.#replacement;
    let index = this.index;
    let ownIndex: ScopeIndex | null = null;
    /** Scopes replaced or added since last extracted: a split phase comes from an exhausted one. */
    let dirty = [...this.changed];
    let changed = new Set(this.changed);
    const fail = (failure: FailureReason) =>
      new ResolvePhase(context, PhaseStatus.failed, failure, scopes, index);

    for (;;) {
      const previousCount = scopes.length;
      const widened: number[] = [];

      for (;;) {
        const extracted: Requirement[] = [];
        if (!ascending(dirty)) dirty.sort((a, b) => a - b);
        let last = -1;
        for (const i of dirty) {
          if (i === last) continue;
          last = i;
          let scope = scopes[i]!;
          while (scope.slice?.extractable) {
            const next = scope.extract();
            extracted.push(next.request!);
            scope = next.scope;
          }
          scopes[i] = scope;
        }
        dirty = [];
        if (extracted.length === 0) break;

        const merged = new RequirementList(extracted);
        if (merged.conflict !== null) {
          const [dependency, conflictingRequest] = merged.conflict;
          return fail({ kind: "conflict", conflicts: [{ dependency, conflictingRequest }] });
        }

        const targets: number[] = [];
        const added: Requirement[] = [];
        for (const request of merged.requirements) {
          const i = index.get(request.name);
          if (i === undefined) added.push(request);
          else targets.push(i);
        }
        if (!ascending(targets)) targets.sort((a, b) => a - b);
        for (const i of targets) {
          const scope = scopes[i]!;
          const request = merged.get(scope.name)!;
          const narrowed = scope.intersect(request.range!);
          if (narrowed === null) {
            return fail({
              kind: "conflict",
              conflicts: [{ dependency: request, conflictingRequest: scope.request }],
            });
          }
          if (narrowed !== scope) {
            scopes[i] = narrowed;
            changed.add(i);
            dirty.push(i);
            if (scope.isConflict && !narrowed.isConflict) widened.push(i);
          }
        }

        for (const request of added) {
          if (scopes.length >= MAX_SCOPES)
            throw new Error(`A resolve cannot hold more than ${MAX_SCOPES} packages`);
          const scope = createScope(request, context, scopes);
          ownIndex ??= index.extend();
          index = ownIndex;
          ownIndex.set(scope.name, scopes.length);
          dirty.push(scopes.length);
          scopes.push(scope);
        }
      }

      if (scopes.length === previousCount && changed.size === 0 && widened.length === 0) break;

      const failure = reduceScopes(context, scopes, index, previousCount, changed, widened, dirty);
      if (failure !== null) return fail(failure);
      changed = new Set();
    }

    let solved = true;
    for (const s of scopes) {
      if (!s.isSolved()) {
        solved = false;
        break;
      }
    }
    return new ResolvePhase(
      context,
      solved ? PhaseStatus.solved : PhaseStatus.exhausted,
      null,
      scopes,
      index,
    );
  }

  /**
   * Splits the first scope that can be split (Rez's order), or the one `choose` picks among
   * those that can: the preferred phase first.
   */
  split(
    choose?: (splittable: readonly number[], scopes: readonly PackageScope[]) => number,
  ): [ResolvePhase, ResolvePhase] {
    const scopes = this.scopes;
    let first = 0;
    if (choose !== undefined) {
      const splittable: number[] = [];
      for (let i = 0; i < scopes.length; i++) if (scopes[i]!.split() !== null) splittable.push(i);
      if (splittable.length > 0) first = choose(splittable, scopes);
    }
    for (let i = first; i < scopes.length; i++) {
      const parts = scopes[i]!.split();
      if (parts === null) continue;
      const changed = [i];
      return [
        new ResolvePhase(this.context, PhaseStatus.pending, null, scopes, this.index, changed, i, parts[0]),
        new ResolvePhase(this.context, PhaseStatus.pending, null, scopes, this.index, changed, i, parts[1]),
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
        PhaseStatus.cyclic,
        { kind: "cycle", packages },
        [...byName.values()],
        this.index,
      );
    }
    const order = dependencyOrder(
      graph,
      this.context.request.requirements.map((r) => r.name),
    );
    const scopes = order.map((name) => byName.get(name)!);
    return new ResolvePhase(this.context, PhaseStatus.solved, null, scopes, this.index);
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

/** A scope for a newly extracted request; a missing family names the scopes that require it. */
function createScope(
  request: Requirement,
  context: SolveContext,
  scopes: readonly PackageScope[],
): PackageScope {
  try {
    return PackageScope.create(request, context);
  } catch (error) {
    if (error instanceof PackageFamilyNotFoundError) {
      const requiredBy = scopes.filter((s) => s.slice?.commonFams.includes(request.name)).map((s) => s.name);
      if (requiredBy.length > 0)
        throw new PackageFamilyNotFoundError(request.name, requiredBy, { cause: error });
    }
    throw error;
  }
}

function ascending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}

const pending = new PairStack();

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
  index: ScopeIndex,
  previousCount: number,
  changed: ReadonlySet<number>,
  widened: readonly number[],
  dirty: number[],
): FailureReason | null {
  const count = scopes.length;
  const reducesAll = (x: number) => x >= previousCount || widened.includes(x);
  const pairsFor = (x: number): void => {
    const slice = scopes[x]!.slice;
    if (slice === null) return;
    for (const fam of slice.famRequires) {
      const y = index.get(fam);
      if (y !== undefined && y !== x) pending.push(x, y);
    }
  };

  pending.clear();
  for (let x = previousCount; x < count; x++) pairsFor(x);
  for (const x of widened) if (x < previousCount) pairsFor(x);
  const reduceAgainst = (y: number): void => {
    const name = scopes[y]!.name;
    const dependents = context.dependentsOf(name);
    if (dependents === undefined) return;
    for (const dependent of dependents) {
      const x = index.get(dependent);
      if (x === undefined || x === y || reducesAll(x)) continue;
      const slice = scopes[x]!.slice;
      if (slice?.famRequires.has(name)) pending.push(x, y);
    }
  };
  for (const y of changed) reduceAgainst(y);
  for (let y = previousCount; y < count; y++) if (!changed.has(y)) reduceAgainst(y);
  pending.sort();

  const requeue: number[] = [];
  while (pending.length > 0) {
    const pair = pending.pop();
    const x = pair >>> 16;
    const y = pair & 0xffff;
    const scope = scopes[x]!;
    const reduced = scope.reduceBy(scopes[y]!);
    if (!(reduced instanceof PackageScope)) return { kind: "reduction", reductions: [...reduced] };
    if (reduced !== scope) {
      scopes[x] = reduced;
      dirty.push(x);
      const name = reduced.name;
      const dependents = context.dependentsOf(name);
      if (dependents === undefined) continue;
      requeue.length = 0;
      for (const dependent of dependents) {
        const j = index.get(dependent);
        if (j === undefined || j === x) continue;
        const slice = scopes[j]!.slice;
        if (slice?.famRequires.has(name)) requeue.push(j);
      }
      if (!ascending(requeue)) requeue.sort((a, b) => a - b);
      for (const j of requeue) pending.push(j, x);
    }
  }
  return null;
}
