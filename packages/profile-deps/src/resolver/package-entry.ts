import type { Package, PackageVariant } from "../repository/package.js";
import type { Version } from "../version/version.js";
import type { SolveContext } from "./solve-context.js";

/** The variants of one package still in play in a scope. */
export class PackageEntry {
  readonly pkg: Package;
  variants: readonly PackageVariant[];
  sorted: boolean;

  constructor(pkg: Package, variants: readonly PackageVariant[], sorted = false) {
    this.pkg = pkg;
    this.variants = variants;
    this.sorted = sorted || variants.length < 2;
  }

  get version(): Version {
    return this.pkg.version;
  }

  get length(): number {
    return this.variants.length;
  }

  sort(context: SolveContext): void {
    if (this.sorted) return;
    this.variants = context.orderedVariants(this.pkg, this.variants);
    this.sorted = true;
  }

  /** The first `n` preferred variants and the rest, or null when `n` takes them all. */
  split(n: number, context: SolveContext): [PackageEntry, PackageEntry] | null {
    if (n >= this.variants.length) return null;
    this.sort(context);
    return [
      new PackageEntry(this.pkg, this.variants.slice(0, n), true),
      new PackageEntry(this.pkg, this.variants.slice(n), true),
    ];
  }
}
