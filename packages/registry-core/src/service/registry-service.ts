import { z } from "zod";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import { migrateData } from "../migration/migrate-data.js";
import { type Actor, canModify, hasRole, type Owner, ownerSchema, type Role } from "../model/actor.js";
import type { Entity, JsonValue } from "../model/entity.js";
import {
  type EntityType,
  type EntityTypeInput,
  type EntityTypePatch,
  entityTypeInputSchema,
  entityTypePatchSchema,
} from "../model/entity-type.js";
import {
  type Clock,
  type EntityChangedEvent,
  type EventPublisher,
  type IdGenerator,
  type RegistryEvent,
  randomIds,
  systemClock,
} from "../ports.js";
import { toIssues, validateData } from "../schema/entity-schema.js";
import { executeQuery } from "../search/execute.js";
import type { SearchFilter } from "../search/filter.js";
import { parseFilter, planSearch } from "../search/plan.js";
import type { RegistryStore } from "../store/registry-store.js";
import type { EntityWrite, StoredEntity } from "../store/stored-entity.js";
import { decodeData, encodeEntity, toEntity } from "./entity-codec.js";
import { planDelete } from "./plan-delete.js";
import { defineFields, needsMigration } from "./type-definition.js";

export interface RegistryServiceOptions {
  store: RegistryStore;
  events?: EventPublisher;
  clock?: Clock;
  ids?: IdGenerator;
  /** How many times a write without an expected version is retried after losing a race. */
  retries?: number;
}

const createEntitySchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .optional(),
    data: z.record(z.string(), z.unknown()).default({}),
    owners: z.array(ownerSchema).max(100).optional(),
  })
  .strict();
export type CreateEntityInput = z.input<typeof createEntitySchema>;

const updateEntitySchema = z
  .object({
    /** Fields to change; null removes an optional field. */
    data: z.record(z.string(), z.unknown()).default({}),
    owners: z.array(ownerSchema).max(100).optional(),
  })
  .strict();
export type UpdateEntityInput = z.input<typeof updateEntitySchema>;

export interface SearchPage {
  items: Entity[];
  cursor: string | null;
}

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(`Invalid ${what}`, toIssues(result.error));
  return result.data;
}

export type RegistryService = ReturnType<typeof createRegistryService>;

/** Event buses cap payloads (EventBridge: 256 KB); a larger entity is left out and read by id instead. */
const MAX_EVENT_ENTITY_BYTES = 200 * 1024;

function eventEntity(entity: Entity): Entity | null {
  return Buffer.byteLength(JSON.stringify(entity)) > MAX_EVENT_ENTITY_BYTES ? null : entity;
}

/**
 * The registry's use cases over any store: types and entities validated against their type,
 * two-way links with on-delete rules, optimistic versions, organisations and owners, events.
 */
export function createRegistryService(options: RegistryServiceOptions) {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const retries = options.retries ?? 5;

  const requireRole = (actor: Actor, role: Role) => {
    if (!hasRole(actor, role))
      throw new ForbiddenError(`This actor may not ${role} in ${actor.organisation}`);
  };

  async function publish(events: RegistryEvent[]) {
    if (options.events && events.length > 0) await options.events.publish(events);
  }

  async function loadType(organisation: string, name: string): Promise<EntityType> {
    const type = await store.getType(organisation, name);
    if (!type) throw new NotFoundError(`Entity type '${name}'`);
    return type;
  }

  function typeEvent(
    actor: Actor,
    type: EntityType,
    change: "created" | "updated" | "deleted",
  ): RegistryEvent {
    return {
      type: "EntityTypeChanged",
      time: clock.now(),
      detail: {
        change,
        organisation: type.organisation,
        name: type.name,
        version: type.version,
        actor: actor.id,
      },
    };
  }

  async function checkLinkTargets(organisation: string, type: EntityType, fields: EntityType["fields"]) {
    const issues: { path: (string | number)[]; message: string }[] = [];
    for (const [i, field] of fields.entries()) {
      if (field.type !== "link" || !field.link) continue;
      if (field.link.target !== type.name && !(await store.getType(organisation, field.link.target))) {
        issues.push({
          path: ["fields", i, "link", "target"],
          message: `no entity type '${field.link.target}'`,
        });
      }
    }
    if (issues.length > 0) throw new ValidationError("Invalid entity type", issues);
  }

  async function withRetry<T>(expectedVersion: number | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConflictError) || expectedVersion !== undefined || i >= retries) throw error;
      }
    }
  }

  /** Data by name under the current type, converting entities a running migration has not reached yet. */
  function currentData(type: EntityType, stored: StoredEntity): Record<string, JsonValue> {
    const migration = type.migration;
    if (stored.typeVersion < type.version && migration?.fromVersion === stored.typeVersion) {
      const result = migrateData(type, migration.fromFields, stored);
      if ("data" in result) return result.data;
    }
    return decodeData(type, stored);
  }

  function readable(type: EntityType, stored: StoredEntity): Entity {
    return { ...toEntity(type, stored), data: currentData(type, stored) };
  }

  async function getStored(actor: Actor, type: EntityType, id: string): Promise<StoredEntity> {
    const stored = await store.getEntity(actor.organisation, id);
    if (!stored || stored.type !== type.name) throw new NotFoundError(`${type.name} '${id}'`);
    return stored;
  }

  async function validateLinks(
    organisation: string,
    type: EntityType,
    entity: StoredEntity,
    previous?: StoredEntity,
  ) {
    const known = new Set(previous?.links.map((l) => l.targetId));
    const fresh = entity.links.filter((l) => !known.has(l.targetId) && l.targetId !== entity.id);
    if (fresh.length === 0) return;
    const targets = new Map(
      (await store.getEntities(organisation, [...new Set(fresh.map((l) => l.targetId))])).map((t) => [
        t.id,
        t,
      ]),
    );
    const issues = fresh
      .filter((l) => targets.get(l.targetId)?.type !== l.targetType)
      .map((l) => {
        const field = type.fields.find((f) => f.id === l.fieldId)!;
        return { path: ["data", field.name], message: `no ${l.targetType} with id '${l.targetId}'` };
      });
    if (issues.length > 0) throw new ValidationError(`Invalid ${type.name}: link targets missing`, issues);
  }

  function entityEvent(actor: Actor, type: EntityType | null, write: EntityWrite): EntityChangedEvent {
    const change = write.op === "create" ? "created" : write.op === "update" ? "updated" : "deleted";
    return {
      type: "EntityChanged",
      time: clock.now(),
      detail: {
        change,
        organisation: write.entity.organisation,
        entityType: write.entity.type,
        id: write.entity.id,
        version: write.entity.version,
        actor: actor.id,
        entity: write.op === "delete" || !type ? null : eventEntity(toEntity(type, write.entity)),
      },
    };
  }

  const typeCache = async (organisation: string) => {
    const cache = new Map<string, EntityType>();
    return async (name: string) => {
      let t = cache.get(name);
      if (!t) {
        t = await loadType(organisation, name);
        cache.set(name, t);
      }
      return t;
    };
  };

  const service = {
    store,

    async createType(actor: Actor, input: EntityTypeInput | unknown): Promise<EntityType> {
      requireRole(actor, "admin");
      const parsed = parse(entityTypeInputSchema, input, "entity type");
      const now = clock.now().toISOString();
      const type: EntityType = {
        organisation: actor.organisation,
        name: parsed.name,
        description: parsed.description,
        tags: parsed.tags,
        fields: defineFields(parsed.fields, [], ids),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await checkLinkTargets(actor.organisation, type, type.fields);
      await store.saveType(type, null).catch((error) => {
        if (error instanceof ConflictError)
          throw new ConflictError(`Entity type '${type.name}' already exists`);
        throw error;
      });
      await publish([typeEvent(actor, type, "created")]);
      return type;
    },

    async getType(actor: Actor, name: string): Promise<EntityType> {
      requireRole(actor, "read");
      return loadType(actor.organisation, name);
    },

    async listTypes(actor: Actor, filter: { tag?: string } = {}): Promise<EntityType[]> {
      requireRole(actor, "read");
      const types = await store.listTypes(actor.organisation);
      return filter.tag ? types.filter((t) => t.tags.includes(filter.tag!)) : types;
    },

    /**
     * Changes description, tags or fields. Fields are matched by id, so a new name is a rename
     * that keeps the data. Returns whether existing entities need a migration to the new version.
     */
    async updateType(
      actor: Actor,
      name: string,
      patch: EntityTypePatch | unknown,
      expectedVersion?: number,
      options: { migrationJobId?: string } = {},
    ): Promise<{ type: EntityType; previous: EntityType; migrationRequired: boolean }> {
      requireRole(actor, "admin");
      const parsed = parse(entityTypePatchSchema, patch, "entity type change");
      return withRetry(expectedVersion, async () => {
        const previous = await loadType(actor.organisation, name);
        if (expectedVersion !== undefined && previous.version !== expectedVersion) {
          throw new ConflictError(`Entity type '${name}' is at version ${previous.version}`, {
            expectedVersion,
            existing: previous.version,
          });
        }
        const proposed = service.proposeType(previous, parsed);
        const migrationRequired = needsMigration(previous.fields, proposed.fields);
        const { migration: _previousMigration, ...rest } = proposed;
        const type: EntityType = migrationRequired
          ? {
              ...rest,
              migration: {
                fromVersion: previous.version,
                fromFields: previous.fields,
                ...(options.migrationJobId && { jobId: options.migrationJobId }),
              },
            }
          : rest;
        await checkLinkTargets(actor.organisation, type, type.fields);
        await store.saveType(type, previous.version);
        await publish([typeEvent(actor, type, "updated")]);
        return { type, previous, migrationRequired };
      });
    },

    /** The type a patch would produce, without saving it (used by dry runs). */
    proposeType(previous: EntityType, patch: EntityTypePatch | unknown): EntityType {
      const parsed = parse(entityTypePatchSchema, patch, "entity type change");
      return {
        ...previous,
        description: parsed.description ?? previous.description,
        tags: parsed.tags ?? previous.tags,
        fields: parsed.fields ? defineFields(parsed.fields, previous.fields, ids) : previous.fields,
        version: previous.version + 1,
        updatedAt: clock.now().toISOString(),
      };
    },

    async deleteType(actor: Actor, name: string, expectedVersion?: number): Promise<void> {
      requireRole(actor, "admin");
      const type = await loadType(actor.organisation, name);
      if ((await store.listIds(actor.organisation, name, null, 1)).length > 0) {
        throw new ConflictError(`Entity type '${name}' still has entities`);
      }
      const referrers = (await store.listTypes(actor.organisation)).filter(
        (t) => t.name !== name && t.fields.some((f) => f.link?.target === name),
      );
      if (referrers.length > 0) {
        throw new ConflictError(
          `Entity type '${name}' is the link target of ${referrers.map((t) => t.name).join(", ")}`,
        );
      }
      await store.deleteType(actor.organisation, name, expectedVersion ?? type.version);
      await publish([typeEvent(actor, type, "deleted")]);
    },

    async createEntity(actor: Actor, typeName: string, input: CreateEntityInput | unknown): Promise<Entity> {
      requireRole(actor, "write");
      const parsed = parse(createEntitySchema, input, "entity");
      const type = await loadType(actor.organisation, typeName);
      const data = validateData(type, parsed.data, true);
      const now = clock.now().toISOString();
      const owners: Owner[] =
        parsed.owners ??
        (actor.id ? [{ kind: "user", id: actor.id }] : [{ kind: "organisation", id: actor.organisation }]);
      const entity = encodeEntity(type, data, {
        organisation: actor.organisation,
        id: parsed.id ?? ids.next(),
        version: 1,
        owners,
        createdAt: now,
        updatedAt: now,
      });
      await validateLinks(actor.organisation, type, entity);
      const write: EntityWrite = { op: "create", entity };
      await store.commit([write]);
      await publish([entityEvent(actor, type, write)]);
      return toEntity(type, entity);
    },

    async getEntity(actor: Actor, typeName: string, id: string): Promise<Entity> {
      requireRole(actor, "read");
      const type = await loadType(actor.organisation, typeName);
      const stored = await getStored(actor, type, id);
      const entity = readable(type, stored);
      const incoming = await store.incoming(actor.organisation, id);
      if (incoming.length > 0) {
        const typeOf = await typeCache(actor.organisation);
        const inverse: Record<string, { id: string; type: string }[]> = {};
        for (const edge of incoming) {
          const source = await typeOf(edge.sourceType).catch(() => null);
          const field = source?.fields.find((f) => f.id === edge.fieldId);
          const name = field?.link?.inverse ?? `${edge.sourceType}.${field?.name ?? edge.fieldId}`;
          const list = inverse[name] ?? [];
          list.push({ id: edge.sourceId, type: edge.sourceType });
          inverse[name] = list;
        }
        entity.inverse = inverse;
      }
      return entity;
    },

    /** Merges `data` into the entity (null removes a field); retried on a lost race unless `expectedVersion` is given. */
    async updateEntity(
      actor: Actor,
      typeName: string,
      id: string,
      input: UpdateEntityInput | unknown,
      expectedVersion?: number,
    ): Promise<Entity> {
      requireRole(actor, "write");
      const parsed = parse(updateEntitySchema, input, "entity change");
      return withRetry(expectedVersion, async () => {
        const type = await loadType(actor.organisation, typeName);
        const previous = await getStored(actor, type, id);
        if (!canModify(actor, previous.owners))
          throw new ForbiddenError(`This actor may not modify ${typeName} '${id}'`);
        if (expectedVersion !== undefined && previous.version !== expectedVersion) {
          throw new ConflictError(`${typeName} '${id}' is at version ${previous.version}`, {
            expectedVersion,
            existing: previous.version,
          });
        }
        const merged: Record<string, unknown> = { ...currentData(type, previous), ...parsed.data };
        const data = validateData(type, merged, false);
        const entity = encodeEntity(type, data, {
          organisation: previous.organisation,
          id,
          version: previous.version + 1,
          owners: parsed.owners ?? previous.owners,
          createdAt: previous.createdAt,
          updatedAt: clock.now().toISOString(),
        });
        await validateLinks(actor.organisation, type, entity, previous);
        const write: EntityWrite = { op: "update", entity, previous };
        await store.commit([write]);
        await publish([entityEvent(actor, type, write)]);
        return toEntity(type, entity);
      });
    },

    /** Deletes an entity and applies each incoming link's on-delete rule, all in one commit. */
    async deleteEntity(actor: Actor, typeName: string, id: string, expectedVersion?: number): Promise<void> {
      requireRole(actor, "write");
      await withRetry(expectedVersion, async () => {
        const type = await loadType(actor.organisation, typeName);
        const stored = await getStored(actor, type, id);
        if (!canModify(actor, stored.owners))
          throw new ForbiddenError(`This actor may not delete ${typeName} '${id}'`);
        if (expectedVersion !== undefined && stored.version !== expectedVersion) {
          throw new ConflictError(`${typeName} '${id}' is at version ${stored.version}`, {
            expectedVersion,
            existing: stored.version,
          });
        }
        const writes = await planDelete(
          { store, now: clock.now().toISOString(), typeOf: await typeCache(actor.organisation) },
          actor,
          stored,
        );
        await store.commit(writes);
        const typeOf = await typeCache(actor.organisation);
        const events: RegistryEvent[] = [];
        for (const w of writes)
          events.push(entityEvent(actor, await typeOf(w.entity.type).catch(() => null), w));
        await publish(events);
      });
    },

    async search(actor: Actor, typeName: string, filter: SearchFilter | unknown = {}): Promise<SearchPage> {
      requireRole(actor, "read");
      const type = await loadType(actor.organisation, typeName);
      const plan = planSearch(actor.organisation, type, parseFilter(filter));
      const page = await executeQuery(store, plan);
      return { items: page.items.map((s) => readable(type, s)), cursor: page.cursor };
    },

    /** Every entity a search matches, page by page. */
    async *searchAll(actor: Actor, typeName: string, filter: SearchFilter = {}): AsyncGenerator<Entity> {
      let cursor: string | null | undefined = filter.cursor;
      do {
        const page: SearchPage = await service.search(actor, typeName, { ...filter, limit: 500, cursor });
        yield* page.items;
        cursor = page.cursor;
      } while (cursor);
    },

    /** Low-level: commit prepared writes and publish their events (bulk import and migrations use it). */
    async commitWrites(actor: Actor, writes: EntityWrite[]): Promise<void> {
      await store.commit(writes);
      const typeOf = await typeCache(actor.organisation);
      const events: RegistryEvent[] = [];
      for (const w of writes)
        events.push(entityEvent(actor, await typeOf(w.entity.type).catch(() => null), w));
      await publish(events);
    },

    /** Low-level: validate data by name for a type and encode it, checking link targets exist. */
    async prepareEntity(
      actor: Actor,
      type: EntityType,
      data: Record<string, unknown>,
      base: { id: string; owners?: Owner[]; previous?: StoredEntity },
      options: { knownTargets?: ReadonlySet<string> } = {},
    ): Promise<StoredEntity> {
      const clean = validateData(type, data, !base.previous);
      const now = clock.now().toISOString();
      const entity = encodeEntity(type, clean, {
        organisation: actor.organisation,
        id: base.id,
        version: (base.previous?.version ?? 0) + 1,
        owners:
          base.owners ??
          base.previous?.owners ??
          (actor.id ? [{ kind: "user", id: actor.id }] : [{ kind: "organisation", id: actor.organisation }]),
        createdAt: base.previous?.createdAt ?? now,
        updatedAt: now,
      });
      const unknownTargets = options.knownTargets
        ? { ...entity, links: entity.links.filter((l) => !options.knownTargets!.has(l.targetId)) }
        : entity;
      await validateLinks(actor.organisation, type, unknownTargets, base.previous);
      return entity;
    },

    requireRole,
    loadType,
    publish,
    clock,
    ids,
  };
  return service;
}

export type { JsonValue };
