import { ForbiddenError, RegistryError, RegistryErrorCode } from "../errors.js";
import { type Actor, canModify } from "../model/actor.js";
import type { EntityType } from "../model/entity-type.js";
import type { RegistryStore } from "../store/registry-store.js";
import type { EntityWrite, StoredEntity } from "../store/stored-entity.js";
import { decodeData, encodeEntity } from "./entity-codec.js";

export interface DeleteContext {
  store: RegistryStore;
  /** Types by name, cached for one operation. */
  typeOf(name: string): Promise<EntityType>;
  /** `updatedAt` of entities an unlink rewrites. */
  now: string;
}

/** The writes deleting `root` implies under each incoming link's on-delete rule. */
export async function planDelete(
  context: DeleteContext,
  actor: Actor,
  root: StoredEntity,
): Promise<EntityWrite[]> {
  const { store, typeOf, now } = context;
  const deleted = new Map<string, StoredEntity>([[root.id, root]]);
  const updated = new Map<string, { entity: StoredEntity; previous: StoredEntity }>();
  const queue = [root];
  while (queue.length > 0) {
    const target = queue.shift()!;
    const edges = await store.incoming(actor.organisation, target.id);
    for (const edge of edges) {
      if (deleted.has(edge.sourceId)) continue;
      const sourceType = await typeOf(edge.sourceType);
      const field = sourceType.fields.find((f) => f.id === edge.fieldId);
      const rule = field?.link?.onDelete ?? "restrict";
      const source =
        updated.get(edge.sourceId)?.entity ?? (await store.getEntity(actor.organisation, edge.sourceId));
      // The edge came from an index that may lag: act only on a source whose own (consistent) record still links here.
      if (!source?.links.some((l) => l.targetId === target.id && l.fieldId === edge.fieldId)) continue;
      if (!canModify(actor, source.owners)) {
        throw new ForbiddenError(
          `Deleting ${target.id} would change ${edge.sourceId}, which this actor may not modify`,
        );
      }
      if (rule === "restrict") {
        throw new RegistryError(
          RegistryErrorCode.linkRestricted,
          `${target.type} '${target.id}' is linked from ${edge.sourceType} '${edge.sourceId}' (${field?.name ?? edge.fieldId}, on delete restrict)`,
          { details: { sourceType: edge.sourceType, sourceId: edge.sourceId, field: field?.name } },
        );
      }
      if (rule === "cascade") {
        updated.delete(edge.sourceId);
        deleted.set(edge.sourceId, source);
        queue.push(source);
        continue;
      }
      const data = decodeData(sourceType, source);
      const current = data[field!.name];
      if (Array.isArray(current)) {
        const rest = current.filter((id) => id !== target.id);
        if (rest.length > 0) data[field!.name] = rest;
        else delete data[field!.name];
      } else delete data[field!.name];
      if (field!.required && data[field!.name] === undefined) {
        throw new RegistryError(
          RegistryErrorCode.linkRestricted,
          `Cannot unlink required field '${field!.name}' of ${edge.sourceType} '${edge.sourceId}'`,
          { details: { sourceType: edge.sourceType, sourceId: edge.sourceId, field: field!.name } },
        );
      }
      const previous = updated.get(edge.sourceId)?.previous ?? source;
      const next = encodeEntity(sourceType, data, {
        organisation: source.organisation,
        id: source.id,
        version: previous.version + 1,
        owners: source.owners,
        createdAt: source.createdAt,
        updatedAt: now,
      });
      next.typeVersion = source.typeVersion;
      updated.set(edge.sourceId, { entity: next, previous });
    }
  }
  return [
    ...[...deleted.values()].map((entity) => ({ op: "delete", entity }) as const),
    ...[...updated.values()].map(({ entity, previous }) => ({ op: "update", entity, previous }) as const),
  ];
}
