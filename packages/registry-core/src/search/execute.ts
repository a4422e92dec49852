import { QueryError, RegistryErrorCode } from "../errors.js";
import { compositeKey } from "../store/index-key.js";
import type { KeyRange, RegistryStore } from "../store/registry-store.js";
import type { StoredEntity } from "../store/stored-entity.js";

/** A condition on one indexed field: the union of its key ranges (several for `in`). */
export interface PlannedCondition {
  fieldId: string;
  ranges: KeyRange[];
}

export interface QueryPlan {
  organisation: string;
  type: string;
  ids?: string[];
  conditions: PlannedCondition[];
  links: string[];
  limit: number;
  cursor?: string | null;
}

export interface QueryPage {
  items: StoredEntity[];
  cursor: string | null;
}

interface Hit {
  position: string;
  id: string;
}

/** A page of the driving index after a position; `done` when nothing follows. */
type Driver = (after: string | null, limit: number) => Promise<{ hits: Hit[]; done: boolean }>;

function inRange(key: string, range: KeyRange): boolean {
  if (range.lower && (range.lower.inclusive ? key < range.lower.key : key <= range.lower.key)) return false;
  if (range.upper && (range.upper.inclusive ? key > range.upper.key : key >= range.upper.key)) return false;
  return true;
}

function matches(entity: StoredEntity, condition: PlannedCondition): boolean {
  return entity.index.some(
    (entry) =>
      entry.fieldId === condition.fieldId &&
      condition.ranges.some((r) => inRange(compositeKey(entry.key, entity.id), r)),
  );
}

function after(range: KeyRange, position: string | null): KeyRange {
  if (position === null) return range;
  if (
    range.lower &&
    (range.lower.key > position || (range.lower.key === position && !range.lower.inclusive))
  ) {
    return range;
  }
  return { ...range, lower: { key: position, inclusive: false } };
}

function encodeCursor(driver: string, position: string): string {
  return Buffer.from(JSON.stringify({ d: driver, p: position })).toString("base64url");
}

function decodeCursor(driver: string, cursor: string | null | undefined): string | null {
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

const done = (hits: Hit[], n: number) => ({ hits, done: hits.length < n });

/**
 * Runs a plan on any store: one driver (ids, the first equality-like condition, the first other
 * condition, a link, or the type's id list) walks an index in a stable order; the other parts are
 * checked on the entities it yields, all of whose fields are indexed. The cursor is the driver's position.
 */
export async function executeQuery(store: RegistryStore, plan: QueryPlan): Promise<QueryPage> {
  const { organisation, type, limit } = plan;
  const conditions = [...plan.conditions];
  const links = [...plan.links];
  let driverName: string;
  let driver: Driver;
  if (plan.ids) {
    const ids = [...new Set(plan.ids)].sort();
    driverName = "ids";
    driver = async (position, n) =>
      done(
        ids
          .filter((id) => position === null || id > position)
          .slice(0, n)
          .map((id) => ({ id, position: id })),
        n,
      );
  } else if (conditions.length > 0) {
    const at = Math.max(
      0,
      conditions.findIndex((c) =>
        c.ranges.every(
          (r) => r.lower?.inclusive && r.upper?.inclusive && r.upper.key.startsWith(r.lower.key),
        ),
      ),
    );
    const [condition] = conditions.splice(at, 1) as [PlannedCondition];
    driverName = `field:${condition.fieldId}`;
    driver = async (position, n) => {
      const hits: Hit[] = [];
      for (const range of condition.ranges) {
        if (hits.length >= n) break;
        if (position !== null && range.upper && range.upper.key < position) continue;
        const found = await store.indexRange(
          organisation,
          type,
          condition.fieldId,
          after(range, position),
          n - hits.length,
        );
        for (const h of found) hits.push({ id: h.id, position: h.key });
        if (found.length > 0) position = found[found.length - 1]!.key;
      }
      return done(hits, n);
    };
  } else if (links.length > 0) {
    const target = links.shift()!;
    driverName = `link:${target}`;
    let outgoing: string[] | undefined;
    driver = async (position, n) => {
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
    };
  } else {
    driverName = "type";
    driver = async (position, n) =>
      done(
        (await store.listIds(organisation, type, position, n)).map((id) => ({ id, position: id })),
        n,
      );
  }
  const linkSets = await Promise.all(
    links.map(async (id) => new Set(await neighbours(store, organisation, id))),
  );

  let position = decodeCursor(driverName, plan.cursor);
  const items: StoredEntity[] = [];
  const batch = Math.min(Math.max(limit, 25), 500);
  for (;;) {
    const { hits, done: exhausted } = await driver(position, batch);
    if (hits.length === 0 && exhausted) return { items, cursor: null };
    const found = new Map(
      (await store.getEntities(organisation, [...new Set(hits.map((h) => h.id))])).map((e) => [e.id, e]),
    );
    const accepted = (hit: Hit) => {
      const entity = found.get(hit.id);
      if (!entity || entity.type !== type) return null;
      if (!conditions.every((c) => matches(entity, c))) return null;
      if (!linkSets.every((s) => s.has(entity.id))) return null;
      return entity;
    };
    for (const [i, hit] of hits.entries()) {
      position = hit.position;
      const entity = accepted(hit);
      if (!entity) continue;
      items.push(entity);
      if (items.length === limit) {
        // No cursor when this batch shows nothing else matches and the driver has nothing after it.
        const more = !exhausted || hits.slice(i + 1).some((h) => accepted(h) !== null);
        return { items, cursor: more ? encodeCursor(driverName, position) : null };
      }
    }
    if (exhausted) return { items, cursor: null };
  }
}
