import type { Requirement } from "./requirement.js";

/**
 * A list of requirements merged per package name, keeping first-seen order, as
 * Rez's `RequirementList`: `foo-4+ foo-4.5` is `foo-4.5`, `foo-2+ !foo-4+` is
 * `foo-2+<4`. When two cannot merge, `conflict` holds the pair and the list is empty.
 */
export class RequirementList {
  readonly requirements: readonly Requirement[];
  readonly conflict: readonly [Requirement, Requirement] | null;
  readonly #byName: Map<string, Requirement>;
  #names: Set<string> | undefined;
  #conflictNames: Set<string> | undefined;
  #sortedNames: readonly string[] | undefined;
  #sorted: readonly Requirement[] | undefined;

  constructor(requirements: Iterable<Requirement>) {
    const input = Array.isArray(requirements) ? (requirements as readonly Requirement[]) : [...requirements];
    const byName = new Map<string, Requirement>();
    this.#byName = byName;
    let conflict: [Requirement, Requirement] | null = null;
    let merged = false;
    for (const req of input) {
      const existing = byName.get(req.name);
      if (existing === undefined) {
        byName.set(req.name, req);
        continue;
      }
      merged = true;
      const combined = existing.merged(req);
      if (combined === null) {
        conflict = [existing, req];
        break;
      }
      byName.set(req.name, combined);
    }
    this.conflict = conflict;
    this.requirements = conflict !== null ? [] : merged ? [...byName.values()] : input;
  }

  /** Names of the non-conflict requirements. */
  get names(): ReadonlySet<string> {
    if (this.#names === undefined) this.#splitNames();
    return this.#names!;
  }

  /** Names of the conflict (and weak) requirements. */
  get conflictNames(): ReadonlySet<string> {
    if (this.#conflictNames === undefined) this.#splitNames();
    return this.#conflictNames!;
  }

  /** The non-conflict requirements, sorted by name. */
  get sortedRequirements(): readonly Requirement[] {
    if (this.#sorted === undefined) {
      const plain = this.requirements.filter((r) => !r.conflict);
      this.#sorted = plain.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    return this.#sorted;
  }

  /** Names of the non-conflict requirements, sorted. */
  get sortedNames(): readonly string[] {
    if (this.#sortedNames === undefined) this.#sortedNames = this.sortedRequirements.map((r) => r.name);
    return this.#sortedNames;
  }

  /** The merged requirement on a package, if any. */
  get(name: string): Requirement | undefined {
    return this.#byName.get(name);
  }

  /** Whether a non-conflict requirement names this family. */
  requires(name: string): boolean {
    const r = this.#byName.get(name);
    return r !== undefined && !r.conflict;
  }

  /** The list in Rez's syntax. */
  toString(): string {
    if (this.conflict !== null) return `${this.conflict[0]} <--!--> ${this.conflict[1]}`;
    return this.requirements.join(" ");
  }

  #splitNames(): void {
    const names = new Set<string>();
    const conflictNames = new Set<string>();
    for (const r of this.requirements) (r.conflict ? conflictNames : names).add(r.name);
    this.#names = names;
    this.#conflictNames = conflictNames;
  }
}
