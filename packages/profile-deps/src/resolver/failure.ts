import type { PackageVariant } from "../repository/package.js";
import type { Requirement } from "../version/requirement.js";
import { type ResolveFailure, ResolveFailureKind } from "./types.js";

/** A variant removed because one of its requirements conflicts with another scope's request. */
export interface Reduction {
  readonly variant: PackageVariant;
  readonly dependency: Requirement;
  readonly conflictingRequest: Requirement;
}

/** A common dependency (or request) that conflicts with another scope. */
export interface DependencyConflict {
  readonly dependency: Requirement;
  readonly conflictingRequest: Requirement;
}

export type FailureReason =
  | { readonly kind: "conflict"; readonly conflicts: readonly DependencyConflict[] }
  | { readonly kind: "reduction"; readonly reductions: readonly Reduction[] }
  | { readonly kind: "cycle"; readonly packages: readonly string[] };

const reductionText = (r: Reduction): string =>
  `${r.variant.package.qualifiedName}[${r.variant.index ?? ""}] (dep(${r.dependency}) <--!--> ${r.conflictingRequest})`;

/** Rez's failure wording and the requirements it involves. */
export function describeFailure(reason: FailureReason): ResolveFailure {
  switch (reason.kind) {
    case "conflict":
      return {
        kind: ResolveFailureKind.conflict,
        description: `The following package conflicts occurred: ${reason.conflicts
          .map((c) => `(${c.dependency} <--!--> ${c.conflictingRequest})`)
          .join(" ")}`,
        requirements: reason.conflicts.flatMap((c) => [String(c.dependency), String(c.conflictingRequest)]),
      };
    case "reduction":
      return {
        kind: ResolveFailureKind.reduction,
        description: `A package was completely reduced: ${reason.reductions.map((r) => `(${reductionText(r)})`).join(" ")}`,
        requirements: reason.reductions.flatMap((r) => [
          r.variant.package.qualifiedName,
          String(r.dependency),
          String(r.conflictingRequest),
        ]),
      };
    case "cycle":
      return {
        kind: ResolveFailureKind.cycle,
        description: `A cyclic dependency was detected: ${[...reason.packages, reason.packages[0]].join(" --> ")}`,
        requirements: [...reason.packages],
      };
  }
}
