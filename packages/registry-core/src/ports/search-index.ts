/** One entity's searchable text: the values of its text fields. */
export interface TextDocument {
  organisation: string;
  type: string;
  id: string;
  text: string;
}

/** A text search: the organisation, the type, the words and the page. */
export interface TextQuery {
  organisation: string;
  type: string;
  /** Words to find (all of them); the last may be the start of a word. */
  text: string;
  limit: number;
  cursor?: string | null;
}

/** The ids a text search found, best first, and the cursor of the next page. */
export interface TextHits {
  ids: string[];
  nextCursor?: string;
}

/**
 * Full-text search beside the store, fed by the service after each commit (what it publishes as
 * `EntityChanged`). Adapters: `createMemorySearchIndex()` here, `createPostgresSearchIndex()` in
 * `@portside/registry-core/pg`.
 */
export interface SearchIndex {
  /** Indexes entities' text fields (again). */
  upsert(documents: readonly TextDocument[]): Promise<void>;
  /** Drops entities from the index. */
  remove(keys: readonly { organisation: string; id: string }[]): Promise<void>;
  /** Matching ids, best first (an adapter's own ranking, then id), with a cursor while more follow. */
  search(query: TextQuery): Promise<TextHits>;
}
