import { parseRequirement, type Requirement } from "../version/requirement.js";
import type { Profile } from "./profile.js";

/** One request that differs between two revisions. */
export interface RequestChange {
  /** The package name the requests are about. */
  package: string;
  /** `require`, `conflict` (`!`), `weak` (`~`) or `ephemeral` (`.`). */
  kind: RequestKind;
  from: string;
  to: string;
}

/** The kind of a Rez request: required, conflict (`!`), weak (`~`) or ephemeral (`.`). */
export type RequestKind = "require" | "conflict" | "weak" | "ephemeral";

/** What changed between two revisions of a profile. */
export interface ProfileDiff {
  name: string;
  from: number;
  to: number;
  requests: { added: string[]; removed: string[]; changed: RequestChange[] };
  /** Other fields that differ, with their values in each revision. */
  fields: { field: "description" | "parent" | "tags"; from: unknown; to: unknown }[];
}

interface Keyed {
  package: string;
  kind: RequestKind;
  text: string;
}

function kindOf(requirement: Requirement): RequestKind {
  if (requirement.ephemeral) return "ephemeral";
  if (requirement.weak) return "weak";
  return requirement.conflict ? "conflict" : "require";
}

/**
 * Requests keyed by package name and kind, so `!wave-3` and `wave-2.7` are two requests,
 * not one changed; several requests of one key are kept together in order.
 */
function byKey(requests: readonly string[]): Map<string, Keyed> {
  const map = new Map<string, Keyed>();
  for (const text of requests) {
    const requirement = parseRequirement(text);
    const kind = kindOf(requirement);
    const key = `${kind} ${requirement.name}`;
    const existing = map.get(key);
    map.set(
      key,
      existing
        ? { ...existing, text: `${existing.text} ${text}` }
        : { package: requirement.name, kind, text },
    );
  }
  return map;
}

/**
 * What changed from one revision to another: requests added, removed and changed, paired by
 * package name and kind (a requirement, `!` conflict, `~` weak, `.` ephemeral); each request
 * appears in one list at most.
 */
export function diffRevisions(from: Profile, to: Profile): ProfileDiff {
  const before = byKey(from.requests);
  const after = byKey(to.requests);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: RequestChange[] = [];
  for (const [key, now] of after) {
    const previous = before.get(key);
    if (previous === undefined) added.push(now.text);
    else if (previous.text !== now.text)
      changed.push({ package: now.package, kind: now.kind, from: previous.text, to: now.text });
  }
  for (const [key, was] of before) if (!after.has(key)) removed.push(was.text);
  const fields: ProfileDiff["fields"] = [];
  if (from.description !== to.description)
    fields.push({ field: "description", from: from.description, to: to.description });
  if (from.parent !== to.parent) fields.push({ field: "parent", from: from.parent, to: to.parent });
  if (from.tags.join("\n") !== to.tags.join("\n"))
    fields.push({ field: "tags", from: from.tags, to: to.tags });
  return {
    name: to.name,
    from: from.revision,
    to: to.revision,
    requests: { added, removed, changed },
    fields,
  };
}
