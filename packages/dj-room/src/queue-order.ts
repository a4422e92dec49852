import { type QueueEntry, score } from "./model.js";

type Orderable = Pick<QueueEntry, "seq" | "up" | "down" | "pinnedSeq" | "addedBy">;

/** Score first, then insertion sequence: the likes-then-time rule, with no ties. */
export function compareByVotes(a: Orderable, b: Orderable): number {
  return score(b) - score(a) || a.seq - b.seq;
}

function comparePinned(a: Orderable, b: Orderable): number {
  return (b.pinnedSeq ?? 0) - (a.pinnedSeq ?? 0);
}

/**
 * Round-robin across the guests who added tracks (in the order of their earliest queued track),
 * each guest's own tracks ordered by votes.
 */
function fairShare<T extends Orderable>(entries: readonly T[]): T[] {
  const byGuest = new Map<string, T[]>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const own = byGuest.get(entry.addedBy) ?? [];
    own.push(entry);
    byGuest.set(entry.addedBy, own);
  }
  const lanes = [...byGuest.values()].map((own) => own.sort(compareByVotes));
  const ordered: T[] = [];
  for (let round = 0; ordered.length < entries.length; round++) {
    for (const lane of lanes) {
      const entry = lane[round];
      if (entry) ordered.push(entry);
    }
  }
  return ordered;
}

/** The play order of queued entries: pinned ("play next") first, then by votes or fair share. */
export function orderQueue<T extends Orderable>(entries: readonly T[], options: { fairShare: boolean }): T[] {
  const pinned = entries.filter((e) => e.pinnedSeq !== null).sort(comparePinned);
  const rest = entries.filter((e) => e.pinnedSeq === null);
  return [...pinned, ...(options.fairShare ? fairShare(rest) : [...rest].sort(compareByVotes))];
}
