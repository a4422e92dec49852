import type { PackageFilterRules } from "../repository/package-filter.js";

/** How the resolver picks among a package's variants, as Rez does. */
export const VariantSelectMode = {
  versionPriority: "version_priority",
  intersectionPriority: "intersection_priority",
} as const;

/** One of the modes of `VariantSelectMode`. */
export type VariantSelectMode = (typeof VariantSelectMode)[keyof typeof VariantSelectMode];

/** Options of a resolve: variant selection, timestamp, filters and budgets. */
export interface ResolveOptions {
  /** How variants of one package are ranked; Rez's default is `version_priority`. */
  readonly variantSelectMode?: VariantSelectMode;
  /** Resolve as of this time (epoch seconds): packages released later are invisible. */
  readonly timestamp?: number;
  /** Hide packages by glob on `name-version` or by requirement (`foo-2+`). */
  readonly filters?: PackageFilterRules;
  /** Stop with `ResolveBudgetError` after this many solve steps. */
  readonly maxSteps?: number;
  /** Stop with `ResolveBudgetError` after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Called now and then (at most every 200 ms) during a long solve. */
  readonly onProgress?: (progress: ResolveProgress) => void;
}

/** How far a solve has got: what a budget error reports as its partial progress. */
export interface ResolveProgress {
  /** Phases solved so far. */
  readonly steps: number;
  /** Phases that failed so far. */
  readonly failures: number;
  /** Phases split off and still waiting to be tried. */
  readonly pendingPhases: number;
  readonly elapsedMs: number;
}

/** One package of a solution: name, version and the index of the chosen variant. */
export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  /** The chosen variant, or `null` when the package has no variants. */
  readonly variantIndex: number | null;
}

/** Why a resolve failed: a conflict, a reduction to nothing or a cycle. */
export const ResolveFailureKind = {
  conflict: "conflict",
  reduction: "reduction",
  cycle: "cycle",
} as const;

/** One of the kinds of `ResolveFailureKind`. */
export type ResolveFailureKind = (typeof ResolveFailureKind)[keyof typeof ResolveFailureKind];

/** Why a resolve failed, in Rez's words. */
export interface ResolveFailure {
  readonly kind: ResolveFailureKind;
  /** Rez's wording, e.g. `The following package conflicts occurred: (foo-2 <--!--> foo-1)`. */
  readonly description: string;
  /** The requirements involved, as strings (`foo-2`, `!bar`). */
  readonly requirements: readonly string[];
}

/** How much work a resolve took. */
export interface ResolveStats {
  /** Solve steps (phases solved), as Rez counts them. */
  readonly steps: number;
  /** Phases that failed before the final answer. */
  readonly failures: number;
  readonly elapsedMs: number;
}

/** A solution, or the failure, with the work it took. */
export type ResolveResult =
  | {
      readonly status: "solved";
      /** Dependencies before dependents, otherwise in request order, as Rez lists them. */
      readonly packages: readonly ResolvedPackage[];
      /** Resolved ephemerals (`.foo-1`), which are not packages. */
      readonly ephemerals: readonly string[];
      readonly stats: ResolveStats;
    }
  | {
      readonly status: "failed";
      readonly failure: ResolveFailure;
      readonly stats: ResolveStats;
    };
