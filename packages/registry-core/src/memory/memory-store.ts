import { ConflictError, NotFoundError } from "../errors.js";
import type { EntityType } from "../model/entity-type.js";
import { compositeKey, KEY_CEILING, KEY_MAX, splitCompositeKey } from "../store/index-key.js";
import type { IndexHit, JobRecord, KeyRange, RegistryStore } from "../store/registry-store.js";
import type { EntityWrite, IncomingEdge, StoredEntity } from "../store/stored-entity.js";
import { SortedStrings } from "./sorted-set.js";

const SEP = "\u0000";
const EDGE_SEP = "\u0001";

export interface MemoryRegistryStore extends RegistryStore {
  /** Number of entities held, all organisations together (for tests and benchmarks). */
  readonly entityCount: number;
}

/**
 * The in-memory store: entities by id, a sorted id list per type, a sorted composite-key index per
 * indexed field, unique keys and incoming edges, all kept in step by `commit`.
 */
export function createMemoryRegistryStore(): MemoryRegistryStore {
  /** Types by organisation, then name: listing one organisation's types never touches another's. */
  const typesByOrg = new Map<string, Map<string, EntityType>>();
  const typesOf = (org: string) => {
    let map = typesByOrg.get(org);
    if (!map) {
      map = new Map();
      typesByOrg.set(org, map);
    }
    return map;
  };
  const entities = new Map<string, StoredEntity>();
  const byType = new Map<string, SortedStrings>();
  const indexes = new Map<string, SortedStrings>();
  const unique = new Map<string, string>();
  const incomingEdges = new Map<string, SortedStrings>();
  const jobs = new Map<string, JobRecord>();

  const sorted = (map: Map<string, SortedStrings>, key: string): SortedStrings => {
    let set = map.get(key);
    if (!set) {
      set = new SortedStrings();
      map.set(key, set);
    }
    return set;
  };
  const entityKey = (org: string, id: string) => org + SEP + id;
  const uniqueKey = (org: string, type: string, fieldId: string, key: string) =>
    [org, type, fieldId, key].join(SEP);
  const edgeKey = (sourceType: string, sourceId: string, fieldId: string) =>
    [sourceType, sourceId, fieldId].join(EDGE_SEP);

  function unindex(e: StoredEntity): void {
    entities.delete(entityKey(e.organisation, e.id));
    sorted(byType, e.organisation + SEP + e.type).delete(e.id);
    for (const entry of e.index) {
      sorted(indexes, [e.organisation, e.type, entry.fieldId].join(SEP)).delete(
        compositeKey(entry.key, e.id),
      );
    }
    for (const entry of e.unique) unique.delete(uniqueKey(e.organisation, e.type, entry.fieldId, entry.key));
    for (const edge of e.links) {
      sorted(incomingEdges, entityKey(e.organisation, edge.targetId)).delete(
        edgeKey(e.type, e.id, edge.fieldId),
      );
    }
  }

  function reindex(e: StoredEntity): void {
    entities.set(entityKey(e.organisation, e.id), e);
    sorted(byType, e.organisation + SEP + e.type).add(e.id);
    for (const entry of e.index) {
      sorted(indexes, [e.organisation, e.type, entry.fieldId].join(SEP)).add(compositeKey(entry.key, e.id));
    }
    for (const entry of e.unique)
      unique.set(uniqueKey(e.organisation, e.type, entry.fieldId, entry.key), e.id);
    for (const edge of e.links) {
      sorted(incomingEdges, entityKey(e.organisation, edge.targetId)).add(
        edgeKey(e.type, e.id, edge.fieldId),
      );
    }
  }

  function check(writes: readonly EntityWrite[]): void {
    const touched = new Map<string, EntityWrite>();
    for (const w of writes) {
      const key = entityKey(w.entity.organisation, w.entity.id);
      if (touched.has(key)) throw new ConflictError(`Entity ${w.entity.id} written twice in one commit`);
      touched.set(key, w);
      const current = entities.get(key);
      if (w.op === "create" && current) {
        throw new ConflictError(`Entity ${w.entity.id} already exists`, { expectedVersion: null });
      }
      const expected = w.op === "update" ? w.previous.version : w.op === "delete" ? w.entity.version : null;
      if (w.op !== "create" && current?.version !== expected) {
        throw new ConflictError(`Entity ${w.entity.id} is at version ${current?.version ?? "none"}`, {
          expectedVersion: expected,
          existing: current?.version ?? null,
        });
      }
    }
    const after = (org: string, id: string): StoredEntity | undefined => {
      const w = touched.get(entityKey(org, id));
      if (!w) return entities.get(entityKey(org, id));
      return w.op === "delete" ? undefined : w.entity;
    };
    const released = new Set<string>();
    for (const w of writes) {
      if (w.op === "create") continue;
      const current = entities.get(entityKey(w.entity.organisation, w.entity.id))!;
      for (const u of current.unique)
        released.add(uniqueKey(current.organisation, current.type, u.fieldId, u.key));
    }
    const claimed = new Set<string>();
    for (const w of writes) {
      if (w.op === "delete") continue;
      const e = w.entity;
      for (const u of e.unique) {
        const key = uniqueKey(e.organisation, e.type, u.fieldId, u.key);
        if (claimed.has(key) || (unique.has(key) && !released.has(key))) {
          throw new ConflictError(`Another ${e.type} already has this value of a unique field`, {
            details: { fieldId: u.fieldId },
          });
        }
        claimed.add(key);
      }
      for (const edge of e.links) {
        const target = after(e.organisation, edge.targetId);
        if (!target || target.type !== edge.targetType) {
          throw new ConflictError(`Link target ${edge.targetType} ${edge.targetId} does not exist`, {
            details: { fieldId: edge.fieldId, targetId: edge.targetId },
          });
        }
      }
    }
    for (const w of writes) {
      if (w.op !== "delete") continue;
      const edges = incomingEdges.get(entityKey(w.entity.organisation, w.entity.id))?.values() ?? [];
      for (const edge of edges) {
        const [, sourceId] = edge.split(EDGE_SEP) as [string, string, string];
        const source = after(w.entity.organisation, sourceId);
        if (source?.links.some((l) => l.targetId === w.entity.id)) {
          throw new ConflictError(`Entity ${w.entity.id} is still linked from ${sourceId}`, {
            details: { sourceId },
          });
        }
      }
    }
  }

  return {
    label: "memory",
    get entityCount() {
      return entities.size;
    },

    async getType(organisation, name) {
      const t = typesByOrg.get(organisation)?.get(name);
      return t ? structuredClone(t) : null;
    },
    async listTypes(organisation) {
      return [...(typesByOrg.get(organisation)?.values() ?? [])]
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((t) => structuredClone(t));
    },
    async saveType(type, expectedVersion) {
      const current = typesOf(type.organisation).get(type.name);
      if ((current?.version ?? null) !== expectedVersion) {
        throw new ConflictError(`Entity type ${type.name} is at version ${current?.version ?? "none"}`, {
          expectedVersion,
          existing: current?.version ?? null,
        });
      }
      typesOf(type.organisation).set(type.name, structuredClone(type));
    },
    async deleteType(organisation, name, expectedVersion) {
      const current = typesOf(organisation).get(name);
      if (!current) throw new NotFoundError(`Entity type ${name}`);
      if (current.version !== expectedVersion) {
        throw new ConflictError(`Entity type ${name} is at version ${current.version}`, {
          expectedVersion,
          existing: current.version,
        });
      }
      typesOf(organisation).delete(name);
    },

    async getEntity(organisation, id) {
      const e = entities.get(entityKey(organisation, id));
      return e ? structuredClone(e) : null;
    },
    async getEntities(organisation, ids) {
      const found: StoredEntity[] = [];
      for (const id of ids) {
        const e = entities.get(entityKey(organisation, id));
        if (e) found.push(structuredClone(e));
      }
      return found;
    },
    async findUnique(organisation, type, fieldId, key) {
      return unique.get(uniqueKey(organisation, type, fieldId, key)) ?? null;
    },
    async incoming(organisation, id, page) {
      const set = incomingEdges.get(entityKey(organisation, id));
      if (!set) return [];
      const edges = page
        ? set.range(
            page.afterSourceId
              ? { key: [page.sourceType, page.afterSourceId, KEY_MAX].join(EDGE_SEP), inclusive: false }
              : { key: page.sourceType + EDGE_SEP, inclusive: true },
            { key: page.sourceType + KEY_CEILING, inclusive: false },
            page.limit,
          )
        : set.values();
      const result = edges.map((edge): IncomingEdge => {
        const [sourceType, sourceId, fieldId] = edge.split(EDGE_SEP) as [string, string, string];
        return { sourceType, sourceId, fieldId };
      });
      return page
        ? result
        : result.sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
    },
    async listIds(organisation, type, afterId, limit) {
      const set = byType.get(organisation + SEP + type);
      if (!set) return [];
      return set.range(afterId === null ? undefined : { key: afterId, inclusive: false }, undefined, limit);
    },
    async indexRange(organisation, type, fieldId, range: KeyRange, limit, options) {
      const set = indexes.get([organisation, type, fieldId].join(SEP));
      if (!set) return [];
      const keys = options?.descending
        ? set.rangeDescending(range.lower, range.upper, limit)
        : set.range(range.lower, range.upper, limit);
      return keys.map((key): IndexHit => ({ key, id: splitCompositeKey(key).id }));
    },

    async commit(writes) {
      check(writes);
      for (const w of writes) {
        const current = entities.get(entityKey(w.entity.organisation, w.entity.id));
        if (current) unindex(current);
      }
      for (const w of writes) if (w.op !== "delete") reindex(structuredClone(w.entity));
    },

    async getJob(organisation, id) {
      const job = jobs.get(organisation + SEP + id);
      return job ? structuredClone(job) : null;
    },
    async saveJob(job, expectedVersion) {
      const key = job.organisation + SEP + job.id;
      const current = jobs.get(key);
      if ((current?.version ?? null) !== expectedVersion) {
        throw new ConflictError(`Migration job ${job.id} changed`, { expectedVersion });
      }
      jobs.set(key, structuredClone(job));
    },
  };
}
