import { PackageRequirementsConflictError } from "../errors.js";
import { parseRequirement, type Requirement } from "../version/requirement.js";
import { RequirementList } from "../version/requirement-list.js";
import type { Version } from "../version/version.js";

/** One version of a package as stored: `requires`, optional `variants`, release `timestamp` (epoch seconds). */
export interface PackageDefinition {
  readonly requires: readonly string[];
  readonly variants?: readonly (readonly string[])[] | undefined;
  readonly timestamp?: number | undefined;
}

/** A package version of a family, with its variants parsed on first use. */
export class Package {
  readonly name: string;
  readonly version: Version;
  readonly requires: readonly string[];
  readonly variantRequires: readonly (readonly string[])[] | null;
  readonly timestamp: number | null;
  #variants: readonly PackageVariant[] | undefined;

  constructor(name: string, version: Version, definition: PackageDefinition) {
    this.name = name;
    this.version = version;
    this.requires = definition.requires;
    this.variantRequires = definition.variants ?? null;
    this.timestamp = definition.timestamp ?? null;
  }

  /** `name-version`, or the bare name for the unversioned package. */
  get qualifiedName(): string {
    return this.version.isEmpty ? this.name : `${this.name}-${this.version.text}`;
  }

  /** The variants; a package without variants has one, with index `null`. */
  get variants(): readonly PackageVariant[] {
    if (this.#variants === undefined) {
      const own = this.requires.map(parseRequirement);
      this.#variants =
        this.variantRequires === null || this.variantRequires.length === 0
          ? [new PackageVariant(this, null, own)]
          : this.variantRequires.map(
              (extra, i) => new PackageVariant(this, i, [...own, ...extra.map(parseRequirement)]),
            );
    }
    return this.#variants;
  }
}

/** A variant: the package's requires followed by the variant's own, merged per name. */
export class PackageVariant {
  readonly package: Package;
  readonly index: number | null;
  readonly #input: readonly Requirement[];
  #requires: RequirementList | undefined;

  constructor(pkg: Package, index: number | null, requires: readonly Requirement[]) {
    this.package = pkg;
    this.index = index;
    this.#input = requires;
  }

  get name(): string {
    return this.package.name;
  }

  get version(): Version {
    return this.package.version;
  }

  /** Throws `PackageRequirementsConflictError` if the variant's own requirements conflict. */
  get requires(): RequirementList {
    if (this.#requires === undefined) {
      const list = new RequirementList(this.#input);
      if (list.conflict !== null)
        throw new PackageRequirementsConflictError(this.toString(), list.toString());
      this.#requires = list;
    }
    return this.#requires;
  }

  /** The variant as Rez writes it: `name-version[index]`. */
  toString(): string {
    return `${this.package.qualifiedName}[${this.index ?? ""}]`;
  }
}
