import type { Requirement } from "./requirement.js";

/**
 * A list of requirements merged per package name, keeping first-seen order, as
 * Rez's `RequirementList`: `foo-4+ foo-4.5` is `foo-4.5`, `foo-2+ !foo-4+` is
 * `foo-2+<4`. When two cannot merge, `conflict` holds the pair and the list is empty.
 */
export class RequirementList {
  readonly requirements: readonly Requirement[];
  readonly conflict: readonly [Requirement, Requirement] | null;
  /** Names of the non-conflict requirements. */
  readonly names: ReadonlySet<string>;
  /** Names of the conflict (and weak) requirements. */
  readonly conflictNames: ReadonlySet<string>;
  readonly #byName: Map<string, Requirement>;

  constructor(requirements: Iterable<Requirement>) {
    const input = [...requirements];
    const byName = new Map<string, Requirement>();
    this.#byName = byName;
    let conflict: [Requirement, Requirement] | null = null;
    for (const req of input) {
      const existing = byName.get(req.name);
      if (existing === undefined) {
        byName.set(req.name, req);
        continue;
      }
      const merged = existing.merged(req);
      if (merged === null) {
        conflict = [existing, req];
        break;
      }
      byName.set(req.name, merged);
    }
    const names = new Set<string>();
    const conflictNames = new Set<string>();
    const ordered: Requirement[] = [];
    if (conflict === null) {
      for (const req of byName.values()) {
        ordered.push(req);
        if (req.conflict) conflictNames.add(req.name);
        else names.add(req.name);
      }
    }
    this.requirements = ordered;
    this.conflict = conflict;
    this.names = names;
    this.conflictNames = conflictNames;
  }

  get(name: string): Requirement | undefined {
    return this.#byName.get(name);
  }

  toString(): string {
    if (this.conflict !== null) return `${this.conflict[0]} <--!--> ${this.conflict[1]}`;
    return this.requirements.join(" ");
  }
}
