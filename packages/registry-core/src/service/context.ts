import type { z } from "zod";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  RegistryErrorCode,
  StoreLimitError,
  ValidationError,
} from "../errors.js";
import { migrateData } from "../migration/migrate-data.js";
import { type Actor, hasRole, type Owner, type Role } from "../model/actor.js";
import type { Entity, JsonValue } from "../model/entity.js";
import type { EntityType } from "../model/entity-type.js";
import { PREFIX_TYPES } from "../model/field.js";
import type { SearchIndex, TextDocument } from "../ports/search-index.js";
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
import type { RegistryStore } from "../store/registry-store.js";
import type { EntityWrite, StoredEntity } from "../store/stored-entity.js";
import { decodeData, encodeEntity, toEntity } from "./entity-codec.js";
import { consoleLogger, guardStore, type RegistryLogger } from "./guarded-store.js";

/** Options of the registry service: the store, the publisher, the search index, the clock, ids and logger. */
export interface RegistryServiceOptions {
  store: RegistryStore;
  events?: EventPublisher;
  clock?: Clock;
  ids?: IdGenerator;
  /** Where unexpected store failures are reported (default: `console.error`). */
  logger?: RegistryLogger;
  /** How many times a write without an expected version is retried after losing a race. */
  retries?: number;
  /** Full-text search of text fields (`search(…, { text })`), kept up to date after every commit. */
  searchIndex?: SearchIndex;
}

/**
 * The largest entity any store takes, as its stored JSON: DynamoDB's 400 KB item limit less room
 * for the item's keys and attributes. Enforced by the service, so every store answers alike.
 */
export const MAX_ENTITY_BYTES = 390 * 1024;

/** Event buses cap payloads (EventBridge: 256 KB); a larger entity is left out and read by id instead. */
const MAX_EVENT_ENTITY_BYTES = 200 * 1024;

/** Keys zod's record parsing would assign (changing the result's prototype) or drop: refused as unknown fields. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const data = input && typeof input === "object" ? (input as { data?: unknown }).data : undefined;
  if (data && typeof data === "object") {
    const keys = Object.keys(data).filter((k) => PROTOTYPE_KEYS.has(k));
    if (keys.length > 0) {
      throw new ValidationError(
        `Invalid ${what}: ${keys.join(", ")}`,
        keys.map((k) => ({ path: ["data", k], message: "unknown field" })),
      );
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(`Invalid ${what}`, toIssues(result.error));
  return result.data;
}

export function expectVersion(what: string, stored: number, expected: number | undefined): void {
  if (expected !== undefined && stored !== expected)
    throw new PreconditionFailedError(what, expected, stored);
}

/** What every use case shares: the guarded store, clock, ids, events and the entity helpers. */
export function createRegistryContext(options: RegistryServiceOptions) {
  const logger = options.logger ?? consoleLogger;
  const store = guardStore(options.store, logger);
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

  /** Reads types once per call site (a delete's cascade, a batch of events). */
  function typeLookup(organisation: string) {
    const cache = new Map<string, Promise<EntityType>>();
    return (name: string): Promise<EntityType> => {
      let type = cache.get(name);
      if (!type) {
        type = loadType(organisation, name);
        cache.set(name, type);
      }
      return type;
    };
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

  function entityEvent(actor: Actor, type: EntityType | null, write: EntityWrite): EntityChangedEvent {
    const change = write.op === "create" ? "created" : write.op === "update" ? "updated" : "deleted";
    const entity = write.op === "delete" || !type ? null : toEntity(type, write.entity);
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
        entity: entity && Buffer.byteLength(JSON.stringify(entity)) <= MAX_EVENT_ENTITY_BYTES ? entity : null,
      },
    };
  }

  /** Retries a write that lost a race, unless the caller named the version it expects. */
  async function withRetry<T>(expectedVersion: number | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        if (expectedVersion !== undefined) {
          // The version moved between the check and the commit: the precondition failed, not a rule.
          if (typeof error.existing === "number" || error.existing === null) {
            throw new PreconditionFailedError("The record", expectedVersion, error.existing ?? 0, {
              cause: error,
            });
          }
          throw error;
        }
        if (i >= retries) throw error;
        // Back off (exponentially, with jitter) so the winner's write, and the index, settle first.
        await new Promise((resolve) => setTimeout(resolve, (5 << i) * (1 + Math.random())));
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

  async function getStored(organisation: string, type: EntityType, id: string): Promise<StoredEntity> {
    const stored = await store.getEntity(organisation, id);
    if (!stored || stored.type !== type.name) throw new NotFoundError(`${type.name} '${id}'`);
    return stored;
  }

  async function validateLinks(
    organisation: string,
    type: EntityType,
    entity: StoredEntity,
    known: ReadonlySet<string>,
  ) {
    const fresh = entity.links.filter((l) => !known.has(l.targetId) && l.targetId !== entity.id);
    if (fresh.length === 0) return;
    const targetIds = [...new Set(fresh.map((l) => l.targetId))];
    const targets = new Map((await store.getEntities(organisation, targetIds)).map((t) => [t.id, t]));
    const issues = fresh
      .filter((l) => targets.get(l.targetId)?.type !== l.targetType)
      .map((l) => {
        const field = type.fields.find((f) => f.id === l.fieldId)!;
        return { path: ["data", field.name], message: `no ${l.targetType} with id '${l.targetId}'` };
      });
    if (issues.length > 0) throw new ValidationError(`Invalid ${type.name}: link targets missing`, issues);
  }

  const defaultOwners = (actor: Actor): Owner[] =>
    actor.id ? [{ kind: "user", id: actor.id }] : [{ kind: "organisation", id: actor.organisation }];

  /**
   * Validates data by field name against a type and encodes it as the next version of `previous`
   * (or a new entity), checking the size limit and that link targets exist (`knownTargets` are
   * taken as existing: rows of the same import).
   */
  async function prepareEntity(
    actor: Actor,
    type: EntityType,
    data: Record<string, unknown>,
    base: { id: string; owners?: Owner[] | undefined; previous?: StoredEntity | null | undefined },
    knownTargets: ReadonlySet<string> = new Set(),
  ): Promise<StoredEntity> {
    const previous = base.previous ?? undefined;
    const clean = validateData(type, data, !previous);
    const now = clock.now().toISOString();
    const entity = encodeEntity(type, clean, {
      organisation: actor.organisation,
      id: base.id,
      version: (previous?.version ?? 0) + 1,
      owners: base.owners ?? previous?.owners ?? defaultOwners(actor),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    });
    checkSize(entity);
    const known = new Set([...knownTargets, ...(previous?.links.map((l) => l.targetId) ?? [])]);
    await validateLinks(actor.organisation, type, entity, known);
    return entity;
  }

  function checkSize(entity: StoredEntity): void {
    const bytes = Buffer.byteLength(JSON.stringify(entity));
    if (bytes > MAX_ENTITY_BYTES) {
      throw new StoreLimitError(
        RegistryErrorCode.itemTooLarge,
        `${entity.type} ${entity.id} is ${Math.ceil(bytes / 1024)} KB stored, over the ${MAX_ENTITY_BYTES / 1024} KB entity limit (DynamoDB's 400 KB item limit, less room for keys)`,
        { details: { id: entity.id, bytes, limit: MAX_ENTITY_BYTES } },
      );
    }
  }

  /**
   * Commits writes atomically and publishes their events. A conflict the store reports is
   * re-explained in the registry's own words: a unique clash names its field.
   */
  async function commit(actor: Actor, writes: readonly EntityWrite[]): Promise<void> {
    try {
      await store.commit(writes);
    } catch (error) {
      if (error instanceof ConflictError) throw await explainConflict(actor.organisation, writes, error);
      throw error;
    }
    const typeOf = typeLookup(actor.organisation);
    if (options.events) {
      const events: RegistryEvent[] = [];
      for (const w of writes)
        events.push(entityEvent(actor, await typeOf(w.entity.type).catch(() => null), w));
      await publish(events);
    }
    await feedSearchIndex(writes, typeOf);
  }

  /** The index follows the store; a failure is logged (the write stands), and the next write of the entity mends it. */
  async function feedSearchIndex(
    writes: readonly EntityWrite[],
    typeOf: (name: string) => Promise<EntityType>,
  ) {
    const index = options.searchIndex;
    if (!index) return;
    try {
      const documents: TextDocument[] = [];
      for (const w of writes) {
        if (w.op === "delete") continue;
        const type = await typeOf(w.entity.type);
        const text = type.fields
          .filter((f) => PREFIX_TYPES.has(f.type) && typeof w.entity.data[f.id] === "string")
          .map((f) => w.entity.data[f.id] as string)
          .join(" \n");
        documents.push({ organisation: w.entity.organisation, type: w.entity.type, id: w.entity.id, text });
      }
      const removed = writes
        .filter((w) => w.op === "delete")
        .map((w) => ({ organisation: w.entity.organisation, id: w.entity.id }));
      await index.upsert(documents);
      await index.remove(removed);
    } catch (error) {
      logger.error("registry search index update failed", { operation: "searchIndex", error });
    }
  }

  async function explainConflict(
    organisation: string,
    writes: readonly EntityWrite[],
    error: ConflictError,
  ): Promise<ConflictError> {
    const typeOf = typeLookup(organisation);
    for (const w of writes) {
      if (w.op === "delete") continue;
      for (const u of w.entity.unique) {
        const holder = await store.findUnique(organisation, w.entity.type, u.fieldId, u.key);
        if (holder === null || holder === w.entity.id) continue;
        if (writes.some((o) => o.op === "delete" && o.entity.id === holder)) continue;
        const type = await typeOf(w.entity.type).catch(() => null);
        const field = type?.fields.find((f) => f.id === u.fieldId)?.name ?? u.fieldId;
        return new ConflictError(`Another ${w.entity.type} already has this ${field}`, {
          cause: error,
          details: { field, path: ["data", field], existingId: holder },
        });
      }
    }
    for (const w of writes) {
      if (w.op === "create") continue;
      const current = await store.getEntity(organisation, w.entity.id);
      const expected = w.op === "update" ? w.previous.version : w.entity.version;
      if (current?.version !== expected) {
        return new ConflictError(`${w.entity.type} '${w.entity.id}' changed while this write was prepared`, {
          cause: error,
          expectedVersion: expected,
          existing: current?.version ?? null,
        });
      }
    }
    for (const w of writes) {
      if (w.op === "delete") continue;
      const targets = [...new Set(w.entity.links.map((l) => l.targetId))];
      const found = new Set((await store.getEntities(organisation, targets)).map((t) => t.id));
      const missing = targets.filter(
        (t) => !found.has(t) && !writes.some((o) => o.op !== "delete" && o.entity.id === t),
      );
      if (missing.length > 0) {
        return new ConflictError(`A link target of ${w.entity.type} '${w.entity.id}' was deleted meanwhile`, {
          cause: error,
          details: { missing },
        });
      }
    }
    return new ConflictError("A concurrent change got there first; read again and retry", { cause: error });
  }

  return {
    store,
    searchIndex: options.searchIndex,
    clock,
    ids,
    logger,
    requireRole,
    publish,
    loadType,
    typeLookup,
    typeEvent,
    withRetry,
    currentData,
    readable,
    getStored,
    prepareEntity,
    checkSize,
    commit,
  };
}

export type RegistryContext = ReturnType<typeof createRegistryContext>;
