import { InvalidRangeError, InvalidRequirementError } from "../errors.js";
import { isValidPackageName } from "./package-name.js";
import { parseVersionRange } from "./parse-version-range.js";
import { VersionRange } from "./version-range.js";

const SEPARATOR = /[-@#=<>]/;

/**
 * A package request: `foo`, `foo-1+<2`, `foo==1.0`, a conflict `!foo-1` (foo must
 * not be in that range), a weak reference `~foo-1` (if foo is present it must be
 * in that range), or an ephemeral `.foo-2`.
 *
 * As in Rez, a weak reference is stored as the conflict of the inverse range, and
 * `~foo` has no range at all (`range === null`): it constrains nothing.
 */
export class Requirement {
  readonly name: string;
  readonly range: VersionRange | null;
  readonly conflict: boolean;
  readonly weak: boolean;
  /** `-`, `@` or `#`: cosmetic, kept for printing. */
  readonly separator: string;
  #text: string | undefined;

  private constructor(
    name: string,
    range: VersionRange | null,
    conflict: boolean,
    weak: boolean,
    separator: string,
  ) {
    this.name = name;
    this.range = range;
    this.conflict = conflict;
    this.weak = weak;
    this.separator = separator;
  }

  /** A plain (non-conflict) requirement for a name and range. */
  static of(name: string, range: VersionRange = VersionRange.any): Requirement {
    return new Requirement(name, range, false, false, "-");
  }

  /** @internal */
  static build(
    name: string,
    range: VersionRange | null,
    conflict: boolean,
    weak: boolean,
    separator: string,
  ) {
    return new Requirement(name, range, conflict, weak, separator);
  }

  /** Ephemeral packages (`.foo`) do not exist in any repository; they only carry a range. */
  get ephemeral(): boolean {
    return this.name.charCodeAt(0) === 46;
  }

  /** Whether both cannot hold together (Rez's `conflicts_with`). */
  conflictsWith(other: Requirement): boolean {
    if (this.name !== other.name || this.range === null || other.range === null) return false;
    if (this.conflict) return other.conflict ? false : this.range.isSuperset(other.range);
    if (other.conflict) return other.range.isSuperset(this.range);
    return !this.range.intersects(other.range);
  }

  /** The requirement meaning both at once, or `null` when they conflict (Rez's `merged`). */
  merged(other: Requirement): Requirement | null {
    if (this.name !== other.name) return null;
    if (this.range === null) return other;
    if (other.range === null) return this;
    if (this.conflict) {
      if (other.conflict) {
        const range = this.range.union(other.range);
        return new Requirement(
          this.name,
          range,
          true,
          this.weak && other.weak && !range.isAny(),
          this.separator,
        );
      }
      const range = other.range.subtract(this.range);
      return range === null
        ? null
        : new Requirement(other.name, range, other.conflict, other.weak, other.separator);
    }
    if (other.conflict) {
      const range = this.range.subtract(other.range);
      return range === null
        ? null
        : new Requirement(this.name, range, this.conflict, this.weak, this.separator);
    }
    const range = this.range.intersect(other.range);
    return range === null
      ? null
      : new Requirement(this.name, range, this.conflict, this.weak, this.separator);
  }

  /** Whether the two requirements are the same. */
  equals(other: Requirement): boolean {
    if (other === this) return true;
    if (this.name !== other.name || this.conflict !== other.conflict) return false;
    if (this.range === null || other.range === null) return this.range === other.range;
    return this.range.equals(other.range);
  }

  /** The requirement in Rez's syntax. */
  toString(): string {
    if (this.#text === undefined) {
      const prefix = this.weak ? "~" : this.conflict ? "!" : "";
      let range = this.range;
      if (this.weak || range === null)
        range = range === null ? VersionRange.any : (range.inverse() ?? VersionRange.any);
      let rangeText = "";
      let separator = "";
      if (!range.isAny()) {
        rangeText = range.toString();
        const first = rangeText[0];
        if (first !== "=" && first !== "<" && first !== ">") separator = this.separator;
      }
      this.#text = prefix + this.name + separator + rangeText;
    }
    return this.#text;
  }
}

const cache = new Map<string, Requirement>();
const CACHE_LIMIT = 200_000;

/**
 * Parses a Rez requirement string. The name ends at the first `-`, `@`, `#`, `=`,
 * `<` or `>`; the rest is a version range. Results are interned: the same text
 * gives the same object. Throws `InvalidRequirementError`.
 */
export function parseRequirement(text: string): Requirement {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const requirement = buildRequirement(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, requirement);
  return requirement;
}

function buildRequirement(text: string): Requirement {
  let s = text;
  const conflict = s.startsWith("!") || s.startsWith("~");
  const weak = s.startsWith("~");
  if (conflict) s = s.slice(1);
  const match = SEPARATOR.exec(s);
  let name = s;
  let range: VersionRange | null = weak ? null : VersionRange.any;
  let separator = "-";
  if (match) {
    name = s.slice(0, match.index);
    let rangeText = s.slice(match.index);
    const first = rangeText[0]!;
    if (first === "-" || first === "@" || first === "#") {
      separator = first;
      rangeText = rangeText.slice(1);
    }
    try {
      range = parseVersionRange(rangeText);
    } catch (error) {
      if (error instanceof InvalidRangeError) {
        throw new InvalidRequirementError(text, error.message, { cause: error });
      }
      throw error;
    }
    if (weak) range = range.inverse();
  }
  if (!isValidPackageName(name.startsWith(".") ? name.slice(1) : name)) {
    throw new InvalidRequirementError(
      text,
      name === "" ? "missing package name" : `invalid package name '${name}'`,
    );
  }
  return Requirement.build(name, range, conflict, weak, separator);
}
