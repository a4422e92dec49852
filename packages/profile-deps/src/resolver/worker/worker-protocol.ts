import type { PackageDefinition } from "../../repository/package.js";
import { createPackageFamily, type PackageFamily } from "../../repository/package-family.js";
import type { ResolveOptions, ResolveProgress, ResolveResult } from "../types.js";

/**
 * A family as sent to a worker: its versions in the family's order (newest first), as JSON.
 * The text is built once per family and copied to each worker as is, which costs the main
 * thread far less than cloning the objects for every worker.
 */
export interface FamilyDefinition {
  readonly id: number;
  readonly name: string;
  /** `[version, definition][]` as JSON. */
  readonly versions: string;
}

export interface ResolveJob {
  readonly type: "resolve";
  readonly jobId: number;
  readonly request: readonly string[];
  readonly options: Omit<ResolveOptions, "onProgress">;
  /** Every family the request can reach: its id, or `null` when the repository has no such name. */
  readonly lookup: readonly (readonly [string, number | null])[];
  /** Families this worker has not been sent yet. */
  readonly definitions: readonly FamilyDefinition[];
  /** Drop every family held before this job (the pool keeps the worker's cache bounded). */
  readonly reset: boolean;
}

export type WorkerReply =
  | { readonly type: "progress"; readonly jobId: number; readonly progress: ResolveProgress }
  | { readonly type: "result"; readonly jobId: number; readonly result: ResolveResult }
  | {
      readonly type: "error";
      readonly jobId: number;
      readonly error: {
        readonly name: string;
        readonly code?: string;
        readonly message: string;
        readonly details?: Record<string, unknown>;
        readonly fields?: Record<string, unknown>;
      };
    };

const serialised = new WeakMap<PackageFamily, string>();

/** Builds a family's JSON if it has none yet; whether it had to. */
export function serialiseFamily(family: PackageFamily): boolean {
  if (serialised.has(family)) return false;
  serialised.set(
    family,
    JSON.stringify(
      family.packages.map((pkg) => [
        pkg.version.text,
        {
          requires: pkg.requires,
          ...(pkg.variantRequires === null ? {} : { variants: pkg.variantRequires }),
          ...(pkg.timestamp === null ? {} : { timestamp: pkg.timestamp }),
        },
      ]),
    ),
  );
  return true;
}

export function toFamilyDefinition(id: number, family: PackageFamily): FamilyDefinition {
  serialiseFamily(family);
  return { id, name: family.name, versions: serialised.get(family)! };
}

export function fromFamilyDefinition(definition: FamilyDefinition): PackageFamily {
  return createPackageFamily(
    definition.name,
    JSON.parse(definition.versions) as [string, PackageDefinition][],
  );
}
