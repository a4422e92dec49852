import { isRegistryError, QueryError, RegistryErrorCode, StoreFailureError } from "../errors.js";
import type { Actor } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import { executeQuery } from "../search/execute.js";
import type { SearchFilter } from "../search/filter.js";
import { parseFilter, planSearch } from "../search/plan.js";
import type { RegistryContext } from "./context.js";

/** One page of results; `nextCursor` is absent on the last page. `total` is there when asked for (`count: true`). */
export interface SearchPage {
  items: Entity[];
  nextCursor?: string;
  total?: number;
}

/** Indexed search (never a scan) and the walk over every match that exports use. */
export function searchUseCases(ctx: RegistryContext) {
  async function search(actor: Actor, typeName: string, filter: SearchFilter = {}): Promise<SearchPage> {
    ctx.requireRole(actor, "read");
    const type = await ctx.loadType(actor.organisation, typeName);
    const parsed = parseFilter(filter);
    if (parsed.text !== undefined) {
      const { text, limit, cursor, conditions, count, ...rest } = parsed;
      if (!ctx.searchIndex) {
        throw new QueryError(
          RegistryErrorCode.invalidQuery,
          "Text search needs a search index: pass `searchIndex` to the registry",
        );
      }
      if (conditions.length > 0 || count || Object.values(rest).some((v) => v !== undefined)) {
        throw new QueryError(RegistryErrorCode.invalidQuery, "Text search takes only limit and cursor");
      }
      const hits = await ctx.searchIndex
        .search({ organisation: actor.organisation, type: type.name, text, limit, cursor })
        .catch((error: unknown) => {
          if (isRegistryError(error)) throw error;
          ctx.logger.error("registry search index failed", { operation: "searchIndex.search", error });
          throw new StoreFailureError("text search", error);
        });
      const found = new Map(
        (await ctx.store.getEntities(actor.organisation, hits.ids)).map((e) => [e.id, e]),
      );
      const items = hits.ids.flatMap((id) => {
        const stored = found.get(id);
        return stored && stored.type === type.name ? [ctx.readable(type, stored)] : [];
      });
      return { items, ...(hits.nextCursor && { nextCursor: hits.nextCursor }) };
    }
    const plan = planSearch(actor.organisation, type, parsed);
    const page = await executeQuery(ctx.store, plan);
    return {
      items: page.items.map((s) => ctx.readable(type, s)),
      ...(page.cursor !== null && { nextCursor: page.cursor }),
      ...(page.total !== undefined && { total: page.total }),
    };
  }

  return {
    search,

    /** Every entity a search matches, page by page. */
    async *searchAll(actor: Actor, typeName: string, filter: SearchFilter = {}): AsyncGenerator<Entity> {
      let cursor: string | null | undefined = filter.cursor;
      do {
        const page = await search(actor, typeName, { ...filter, count: false, limit: 500, cursor });
        yield* page.items;
        cursor = page.nextCursor;
      } while (cursor);
    },
  };
}
