import { QueryError, RegistryErrorCode } from "../errors.js";
import { compositeKey } from "../store/index-key.js";
import type { KeyRange, RegistryStore } from "../store/registry-store.js";
import type { StoredEntity } from "../store/stored-entity.js";
import type { PlannedCondition, QueryPlan } from "./plan.js";
import { inRange } from "./ranges.js";

export interface QueryPage {
  items: StoredEntity[];
  cursor: string | null;
  /** Every match, when the plan asked for a count. */
  total?: number;
}

interface Hit {
  position: string;
  id: string;
}

/** A page of the driving index after a position; `done` when nothing follows. */
type Walk = (after: string | null, limit: number) => Promise<{ hits: Hit[]; done: boolean }>;

function holds(entity: StoredEntity, condition: PlannedCondition): boolean {
  switch (condition.kind) {
    case "ranges":
      return entity.index.some(
        (entry) =>
          entry.fieldId === condition.fieldId &&
          condition.ranges.some((r) => inRange(compositeKey(entry.key, entity.id), r)),
      );
    case "contains": {
      const value = entity.data[condition.fieldId];
      return typeof value === "string" && value.toLowerCase().includes(condition.needle);
    }
    case "absent":
      return entity.data[condition.fieldId] === undefined;
  }
}

/** The part of a range after a position in the walk's direction. */
function after(range: KeyRange, position: string | null, descending: boolean): KeyRange {
  if (position === null) return range;
  if (descending) {
    if (
      range.upper &&
      (range.upper.key < position || (range.upper.key === position && !range.upper.inclusive))
    )
      return range;
    return { ...range, upper: { key: position, inclusive: false } };
  }
  if (range.lower && (range.lower.key > position || (range.lower.key === position && !range.lower.inclusive)))
    return range;
  return { ...range, lower: { key: position, inclusive: false } };
}

function encodeCursor(driver: string, position: string): string {
  return Buffer.from(JSON.stringify({ d: driver, p: position })).toString("base64url");
}

function decodeCursor(driver: string, cursor: string | null): string | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { d?: unknown; p?: unknown };
    if (parsed.d === driver && typeof parsed.p === "string") return parsed.p;
  } catch {}
  throw new QueryError(RegistryErrorCode.invalidCursor, "The cursor does not belong to this search");
}

/** Ids linked to `id` in either direction, for residual checks (bounded by that entity's links). */
async function neighbours(store: RegistryStore, organisation: string, id: string) {
  const [self, incoming] = await Promise.all([
    store.getEntity(organisation, id),
    store.incoming(organisation, id),
  ]);
  const ids = new Set<string>(incoming.map((e) => e.sourceId));
  for (const edge of self?.links ?? []) ids.add(edge.targetId);
  return ids;
}

const page = (hits: Hit[], n: number) => ({ hits, done: hits.length < n });

function walkOf(store: RegistryStore, plan: QueryPlan): { name: string; walk: Walk } {
  const { organisation, type, driver } = plan;
  switch (driver.kind) {
    case "ids":
      return {
        name: "ids",
        walk: async (position, n) =>
          page(
            driver.ids
              .filter((id) => position === null || id > position)
              .slice(0, n)
              .map((id) => ({ id, position: id })),
            n,
          ),
      };
    case "field": {
      const { fieldId, descending } = driver;
      const ranges = descending ? [...driver.ranges].reverse() : driver.ranges;
      return {
        name: `field:${fieldId}${descending ? ":desc" : ""}`,
        walk: async (position, n) => {
          const hits: Hit[] = [];
          for (const range of ranges) {
            if (hits.length >= n) break;
            if (position !== null) {
              if (!descending && range.upper && range.upper.key < position) continue;
              if (descending && range.lower && range.lower.key > position) continue;
            }
            const found = await store.indexRange(
              organisation,
              type,
              fieldId,
              after(range, position, descending),
              n - hits.length,
              {
                descending,
              },
            );
            for (const h of found) hits.push({ id: h.id, position: h.key });
            if (found.length > 0) position = found[found.length - 1]!.key;
          }
          return page(hits, n);
        },
      };
    }
    case "link": {
      const target = driver.target;
      let outgoing: string[] | undefined;
      return {
        name: `link:${target}`,
        walk: async (position, n) => {
          outgoing ??= [
            ...new Set(
              ((await store.getEntity(organisation, target))?.links ?? [])
                .filter((l) => l.targetType === type)
                .map((l) => l.targetId),
            ),
          ].sort();
          const incoming = await store.incoming(organisation, target, {
            sourceType: type,
            afterSourceId: position,
            limit: n,
          });
          const more = incoming.length === n;
          const horizon = more ? incoming[incoming.length - 1]!.sourceId : null;
          const ids = [
            ...new Set([
              ...incoming.map((e) => e.sourceId),
              ...outgoing.filter(
                (id) => (position === null || id > position) && (horizon === null || id <= horizon),
              ),
            ]),
          ]
            .sort()
            .slice(0, n);
          return { hits: ids.map((id) => ({ id, position: id })), done: !more && ids.length < n };
        },
      };
    }
    case "type":
      return {
        name: "type",
        walk: async (position, n) =>
          page(
            (await store.listIds(organisation, type, position, n)).map((id) => ({ id, position: id })),
            n,
          ),
      };
  }
}

/**
 * Runs a plan on any store: the driver walks an index in a stable order (the cursor is its
 * position) and every other part is checked on the entities it yields.
 */
export async function executeQuery(store: RegistryStore, plan: QueryPlan): Promise<QueryPage> {
  const { organisation, type, limit } = plan;
  const { name, walk } = walkOf(store, plan);
  const linkSets = await Promise.all(plan.links.map((id) => neighbours(store, organisation, id)));
  const accepted = (entity: StoredEntity | undefined): entity is StoredEntity =>
    !!entity &&
    entity.type === type &&
    plan.conditions.every((c) => holds(entity, c)) &&
    (plan.anyOf.length === 0 || plan.anyOf.some((group) => group.every((c) => holds(entity, c)))) &&
    linkSets.every((s) => s.has(entity.id));

  const fetch = async (hits: Hit[]) =>
    new Map(
      (await store.getEntities(organisation, [...new Set(hits.map((h) => h.id))])).map((e) => [e.id, e]),
    );
  const total = plan.count ? await countMatches(walk, fetch, accepted) : undefined;
  const withTotal = total === undefined ? {} : { total };

  let position = decodeCursor(name, plan.cursor);
  const items: StoredEntity[] = [];
  const batch = Math.min(Math.max(limit, 25), 500);
  for (;;) {
    const { hits, done } = await walk(position, batch);
    const found = await fetch(hits);
    for (const [i, hit] of hits.entries()) {
      const entity = found.get(hit.id);
      if (!accepted(entity)) continue;
      items.push(entity);
      if (items.length === limit) {
        // No cursor when this batch shows nothing else matches and the walk has nothing after it.
        const more = !done || hits.slice(i + 1).some((h) => accepted(found.get(h.id)));
        return { items, cursor: more ? encodeCursor(name, hit.position) : null, ...withTotal };
      }
    }
    if (hits.length > 0) position = hits[hits.length - 1]!.position;
    if (done) return { items, cursor: null, ...withTotal };
  }
}

async function countMatches(
  walk: Walk,
  fetch: (hits: Hit[]) => Promise<Map<string, StoredEntity>>,
  accepted: (entity: StoredEntity | undefined) => boolean,
): Promise<number> {
  let total = 0;
  let position: string | null = null;
  for (;;) {
    const { hits, done } = await walk(position, 500);
    const found = await fetch(hits);
    for (const hit of hits) if (accepted(found.get(hit.id))) total++;
    if (hits.length > 0) position = hits[hits.length - 1]!.position;
    if (done) return total;
  }
}
