import type { SearchIndex, TextHits } from "../ports/search-index.js";

/** Lower-cased words of a text (letters and digits of any script). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The in-memory `SearchIndex`: each entity's words; a query matches entities holding every query
 * word (the last one as a prefix), ordered by id.
 */
export function createMemorySearchIndex(): SearchIndex {
  const byType = new Map<string, Map<string, Set<string>>>();
  const typeOf = new Map<string, string>();
  const key = (organisation: string, id: string) => `${organisation}\u0000${id}`;

  return {
    async upsert(documents) {
      for (const d of documents) {
        const typeKey = key(d.organisation, d.type);
        const previous = typeOf.get(key(d.organisation, d.id));
        if (previous && previous !== typeKey) byType.get(previous)?.delete(d.id);
        const docs = byType.get(typeKey) ?? new Map<string, Set<string>>();
        byType.set(typeKey, docs);
        docs.set(d.id, new Set(words(d.text)));
        typeOf.set(key(d.organisation, d.id), typeKey);
      }
    },
    async remove(keys) {
      for (const k of keys) {
        const typeKey = typeOf.get(key(k.organisation, k.id));
        if (typeKey) byType.get(typeKey)?.delete(k.id);
        typeOf.delete(key(k.organisation, k.id));
      }
    },
    async search(query): Promise<TextHits> {
      const wanted = words(query.text);
      const docs = byType.get(key(query.organisation, query.type));
      if (!docs || wanted.length === 0) return { ids: [] };
      const last = wanted[wanted.length - 1]!;
      const whole = wanted.slice(0, -1);
      const ids = [...docs.entries()]
        .filter(([id, held]) => {
          if (query.cursor && id <= query.cursor) return false;
          if (!whole.every((w) => held.has(w))) return false;
          for (const w of held) if (w.startsWith(last)) return true;
          return false;
        })
        .map(([id]) => id)
        .sort();
      const page = ids.slice(0, query.limit);
      return ids.length > query.limit ? { ids: page, nextCursor: page[page.length - 1]! } : { ids: page };
    },
  };
}
