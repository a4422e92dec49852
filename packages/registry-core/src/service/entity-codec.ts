import type { Owner } from "../model/actor.js";
import type { Entity, JsonValue } from "../model/entity.js";
import type { EntityType } from "../model/entity-type.js";
import { indexKey } from "../store/index-key.js";
import type { Edge, IndexEntry, StoredEntity } from "../store/stored-entity.js";

/** Data by field name to data by field id, with the index entries, unique keys and edges it implies. */
export function encodeEntity(
  type: EntityType,
  data: Record<string, JsonValue>,
  base: Pick<StoredEntity, "organisation" | "id" | "version" | "owners" | "createdAt" | "updatedAt">,
): StoredEntity {
  const byId: Record<string, JsonValue> = {};
  const index: IndexEntry[] = [];
  const unique: IndexEntry[] = [];
  const links: Edge[] = [];
  for (const field of type.fields) {
    const value = data[field.name];
    if (value === undefined || value === null) continue;
    byId[field.id] = value;
    if (field.indexed) index.push({ fieldId: field.id, key: indexKey(field.type, value) });
    if (field.unique) unique.push({ fieldId: field.id, key: indexKey(field.type, value) });
    if (field.type === "link" && field.link) {
      const targets = Array.isArray(value) ? (value as string[]) : [value as string];
      for (const targetId of targets)
        links.push({ fieldId: field.id, targetType: field.link.target, targetId });
    }
  }
  return { ...base, type: type.name, typeVersion: type.version, data: byId, index, unique, links };
}

/** Data by field id to data by field name; values of fields the type no longer has are dropped. */
export function decodeData(type: EntityType, stored: StoredEntity): Record<string, JsonValue> {
  const data: Record<string, JsonValue> = {};
  for (const field of type.fields) {
    const value = stored.data[field.id];
    if (value !== undefined) data[field.name] = value;
  }
  return data;
}

export function toEntity(type: EntityType, stored: StoredEntity): Entity {
  return {
    id: stored.id,
    type: stored.type,
    organisation: stored.organisation,
    version: stored.version,
    owners: stored.owners,
    data: decodeData(type, stored),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export function sameOwners(a: readonly Owner[], b: readonly Owner[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
