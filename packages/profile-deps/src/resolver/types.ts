import type { PackageFilterRules } from "../repository/package-filter.js";

export const VariantSelectMode = {
  versionPriority: "version_priority",
  intersectionPriority: "intersection_priority",
} as const;

export type VariantSelectMode = (typeof VariantSelectMode)[keyof typeof VariantSelectMode];

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

export interface ResolvedPackage {
  readonly name: string;
  readonly version: string;
  /** The chosen variant, or `null` when the package has no variants. */
  readonly variantIndex: number | null;
}

export const ResolveFailureKind = {
  conflict: "conflict",
  reduction: "reduction",
  cycle: "cycle",
} as const;

export type ResolveFailureKind = (typeof ResolveFailureKind)[keyof typeof ResolveFailureKind];

export interface ResolveFailure {
  readonly kind: ResolveFailureKind;
  /** Rez's wording, e.g. `The following package conflicts occurred: (foo-2 <--!--> foo-1)`. */
  readonly description: string;
  /** The requirements involved, as strings (`foo-2`, `!bar`). */
  readonly requirements: readonly string[];
}

export interface ResolveStats {
  /** Solve steps (phases solved), as Rez counts them. */
  readonly steps: number;
  /** Phases that failed before the final answer. */
  readonly failures: number;
  readonly elapsedMs: number;
}

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
