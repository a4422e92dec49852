import { parseRequirement, type Requirement } from "../version/requirement.js";
import { RequirementList } from "../version/requirement-list.js";
import {
  ParentProfileNotFoundError,
  ProfileInheritanceConflictError,
  ProfileInheritanceCycleError,
} from "./errors.js";

/** What computing an effective request needs of a profile. */
export interface InheritableProfile {
  name: string;
  requests: readonly string[];
  parent: string | null;
}

/** A profile's requests merged with its parents', or the conflict that stops the merge. */
export type EffectiveRequest =
  | { ok: true; request: string[] }
  /** Somewhere on the chain a child's request clashes with what it inherits; `request` merges all it can. */
  | { ok: false; conflict: ProfileInheritanceConflictError; request: string[] };

/**
 * Merges a child's requests into its parent's effective request by Rez's request-list
 * rules (`foo-4+` then `foo-4.5` is `foo-4.5`; `foo-2+` then `!foo-4+` is `foo-2+<4`).
 * Returns the clash, naming both requirements, when one of the child's requests cannot
 * merge with what it inherits.
 */
export function mergeInherited(
  profile: string,
  parent: string,
  inherited: readonly string[],
  own: readonly string[],
): { ok: true; request: string[] } | { ok: false; conflict: ProfileInheritanceConflictError } {
  const inheritedList = new RequirementList(inherited.map(parseRequirement));
  if (inheritedList.conflict === null) {
    for (const text of own) {
      const requirement = parseRequirement(text);
      const existing = inheritedList.get(requirement.name);
      if (existing !== undefined && existing.merged(requirement) === null) {
        return {
          ok: false,
          conflict: new ProfileInheritanceConflictError(profile, parent, String(existing), text),
        };
      }
    }
  }
  // A clash inside one side alone is the solver's to report, as for any request.
  return { ok: true, request: mergeRequests([...inherited, ...own]) };
}

/**
 * Rez's request-list merge (one requirement per name, first-seen order), except that a
 * requirement that cannot merge with its name's is kept beside it rather than failing the
 * whole list: the solver reports that clash, and everything else stays merged.
 */
export function mergeRequests(requests: readonly string[]): string[] {
  const byName = new Map<string, Requirement[]>();
  for (const text of requests) {
    const requirement = parseRequirement(text);
    const kept = byName.get(requirement.name);
    if (kept === undefined) {
      byName.set(requirement.name, [requirement]);
      continue;
    }
    const merged = kept[0]!.merged(requirement);
    if (merged === null) kept.push(requirement);
    else kept[0] = merged;
  }
  return [...byName.values()].flat().map(String);
}

/**
 * The request a profile is validated with: its own requests when it has no parent,
 * otherwise its parent's effective request merged with its own. Throws when a parent
 * is missing or the chain loops back.
 */
export async function computeEffectiveRequest(
  profile: InheritableProfile,
  getProfile: (name: string) => Promise<InheritableProfile | undefined>,
): Promise<EffectiveRequest> {
  const chain: InheritableProfile[] = [profile];
  const seen = new Set([profile.name]);
  let cursor = profile;
  while (cursor.parent !== null) {
    if (seen.has(cursor.parent))
      throw new ProfileInheritanceCycleError([...chain.map((p) => p.name), cursor.parent]);
    const parent = await getProfile(cursor.parent);
    if (!parent) throw new ParentProfileNotFoundError(cursor.name, cursor.parent);
    seen.add(parent.name);
    chain.push(parent);
    cursor = parent;
  }
  let request = [...chain.at(-1)!.requests];
  let conflict: ProfileInheritanceConflictError | undefined;
  for (let i = chain.length - 2; i >= 0; i--) {
    const child = chain[i]!;
    const merged = mergeInherited(child.name, child.parent!, request, child.requests);
    if (merged.ok) request = merged.request;
    else {
      conflict ??= merged.conflict;
      request = mergeRequests([...request, ...child.requests]);
    }
  }
  return conflict ? { ok: false, conflict, request } : { ok: true, request };
}
