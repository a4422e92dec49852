import { parseRequirement } from "../version/requirement.js";
import type { Profile } from "./profile.js";

export interface RequestChange {
  /** The package name the requests are about. */
  package: string;
  from: string;
  to: string;
}

export interface ProfileDiff {
  name: string;
  from: number;
  to: number;
  requests: { added: string[]; removed: string[]; changed: RequestChange[] };
  /** Other fields that differ, with their values in each revision. */
  fields: { field: "description" | "parent" | "tags"; from: unknown; to: unknown }[];
}

/** Requests keyed by package name; several requests for one name are kept together in order. */
function byPackage(requests: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const text of requests) {
    const name = parseRequirement(text).name;
    const existing = map.get(name);
    map.set(name, existing === undefined ? text : `${existing} ${text}`);
  }
  return map;
}

/** What changed from one revision to another: requests added, removed and changed (per package name). */
export function diffRevisions(from: Profile, to: Profile): ProfileDiff {
  const before = byPackage(from.requests);
  const after = byPackage(to.requests);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: RequestChange[] = [];
  for (const [name, text] of after) {
    const previous = before.get(name);
    if (previous === undefined) added.push(text);
    else if (previous !== text) changed.push({ package: name, from: previous, to: text });
  }
  for (const [name, text] of before) if (!after.has(name)) removed.push(text);
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
