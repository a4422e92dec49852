import { RecorderError, RecorderErrorCode } from "../errors.js";
import type { QuarantinedMessage, QuarantineStore } from "../ports.js";
import { queryLimit } from "./cursor.js";

/** In-memory quarantine with the PostgreSQL store's rules: one entry per distinct body, oldest first. */
export function createMemoryQuarantineStore(): QuarantineStore & {
  /** Every quarantined message, replayed or not. */
  all(): QuarantinedMessage[];
} {
  const entries: QuarantinedMessage[] = [];
  const byId = (id: string) => entries.find((e) => e.id === id);
  return {
    async put(batch) {
      for (const entry of batch) {
        const same = entries.find((e) => e.body === entry.body);
        if (same) {
          same.attempts++;
          continue;
        }
        entries.push({
          ...structuredClone(entry),
          id: String(entries.length + 1),
          quarantinedAt: new Date(),
          attempts: 1,
          replayedAt: null,
        });
      }
    },
    async list(options = {}) {
      const limit = queryLimit(options.limit);
      const after = options.cursor ? Number(options.cursor) : 0;
      if (!Number.isInteger(after) || after < 0) {
        throw new RecorderError(RecorderErrorCode.invalidArgument, "cursor is not one this API returned");
      }
      const matching = entries.filter(
        (e) => Number(e.id) > after && (options.includeReplayed || e.replayedAt === null),
      );
      const items = matching.slice(0, limit).map((e) => structuredClone(e));
      return matching.length > limit ? { items, next: items[items.length - 1]!.id } : { items };
    },
    async get(id) {
      const found = byId(id);
      return found ? structuredClone(found) : null;
    },
    async markReplayed(ids, at) {
      for (const id of ids) {
        const found = byId(id);
        if (found) found.replayedAt = at;
      }
    },
    async markFailed(id, reason, detail) {
      const found = byId(id);
      if (!found) throw new RecorderError(RecorderErrorCode.notFound, `No quarantined message ${id}`);
      found.reason = reason;
      found.detail = detail;
      found.attempts++;
    },
    all: () => entries.map((e) => structuredClone(e)),
  };
}
