import { PackageNotFoundError } from "../errors.js";
import type { PackageVariant } from "../repository/package.js";
import { Requirement } from "../version/requirement.js";
import type { VersionRange } from "../version/version-range.js";
import type { Reduction } from "./failure.js";
import type { SolveContext } from "./solve-context.js";
import { VariantSlice } from "./variant-slice.js";

function sliceFor(context: SolveContext, name: string, range: VersionRange): VariantSlice | null {
  const info = context.sliceInfoInRange(name, range);
  return info === null ? null : new VariantSlice(name, info);
}

/**
 * What a phase knows about one package name: the variants still possible, or,
 * for a conflict or weak request, the range the package must avoid; for an
 * ephemeral, just its range.
 */
export class PackageScope {
  readonly name: string;
  readonly slice: VariantSlice | null;
  readonly ephemeral: boolean;
  readonly context: SolveContext;

  #request: Requirement | null;

  /** `request` null means the exact versions of `slice`, built when first asked for. */
  private constructor(
    name: string,
    request: Requirement | null,
    slice: VariantSlice | null,
    ephemeral: boolean,
    context: SolveContext,
  ) {
    this.name = name;
    this.#request = request;
    this.slice = slice;
    this.ephemeral = ephemeral;
    this.context = context;
  }

  /** Throws `PackageNotFoundError` when no package matches a plain request, `PackageFamilyNotFoundError` for an unknown name. */
  static create(request: Requirement, context: SolveContext): PackageScope {
    const ephemeral = request.ephemeral;
    if (request.conflict || ephemeral)
      return new PackageScope(request.name, request, null, ephemeral, context);
    const slice = sliceFor(context, request.name, request.range!);
    if (slice === null) throw new PackageNotFoundError(String(Requirement.of(request.name, request.range!)));
    return PackageScope.#withSlice(request.name, slice);
  }

  static #withSlice(name: string, slice: VariantSlice): PackageScope {
    return new PackageScope(name, null, slice, false, slice.context);
  }

  /** The scope as a requirement: the exact versions still possible, or the conflict / ephemeral request. */
  get request(): Requirement {
    if (this.#request === null) this.#request = Requirement.of(this.name, this.slice!.range);
    return this.#request;
  }

  get isConflict(): boolean {
    return this.#request?.conflict === true;
  }

  /** Narrows to `range`; null when nothing is left (a conflict), this scope when nothing changed. */
  intersect(range: VersionRange): PackageScope | null {
    if (this.ephemeral) {
      const own = this.request.range ?? range;
      const narrowed = this.isConflict ? range.subtract(own) : range.intersect(own);
      if (narrowed === null) return null;
      if (narrowed.equals(own)) return this;
      return new PackageScope(this.name, Requirement.of(this.name, narrowed), null, true, this.context);
    }
    let slice: VariantSlice | null = null;
    if (this.isConflict) {
      const own = this.request.range;
      const narrowed = own === null ? range : range.subtract(own);
      if (narrowed !== null) slice = sliceFor(this.context, this.name, narrowed);
    } else {
      slice = this.slice!.intersect(range);
    }
    if (slice === null) return null;
    if (slice === this.slice) return this;
    return PackageScope.#withSlice(this.name, slice);
  }

  /** Narrowed by another scope's request: this scope if nothing conflicts, or the reductions that left nothing. */
  reduceBy(other: PackageScope): PackageScope | readonly Reduction[] {
    if (this.slice === null) return this;
    const slice = this.slice.reduceBy(other.request, other.slice?.info.conflicts);
    if (slice === this.slice) return this;
    if (!(slice instanceof VariantSlice)) return slice;
    return PackageScope.#withSlice(this.name, slice);
  }

  extract(): { scope: PackageScope; request: Requirement | null } {
    if (this.slice === null) return { scope: this, request: null };
    const { slice, request } = this.slice.extract();
    if (request === null) return { scope: this, request: null };
    return { scope: new PackageScope(this.name, this.#request, slice, false, this.context), request };
  }

  split(): [PackageScope, PackageScope] | null {
    if (this.slice === null || this.slice.length === 1) return null;
    const [a, b] = this.slice.split();
    return [PackageScope.#withSlice(this.name, a), PackageScope.#withSlice(this.name, b)];
  }

  isSolved(): boolean {
    return this.slice === null || (this.slice.length === 1 && !this.slice.extractable);
  }

  solvedVariant(): PackageVariant | null {
    if (this.slice !== null && this.slice.length === 1 && !this.slice.extractable)
      return this.slice.firstVariant;
    return null;
  }

  toString(): string {
    return this.slice === null ? String(this.request) : String(this.slice);
  }
}
