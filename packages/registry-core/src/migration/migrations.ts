import { ConflictError, NotFoundError, RegistryError, RegistryErrorCode } from "../errors.js";
import type { Actor } from "../model/actor.js";
import type { EntityType, EntityTypePatch } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import { encodeEntity } from "../service/entity-codec.js";
import type { RegistryService } from "../service/registry-service.js";
import type { MigrationJobRecord } from "../store/registry-store.js";
import type { StoredEntity } from "../store/stored-entity.js";
import { migrateData } from "./migrate-data.js";

export interface MigrationOptions {
  /** Entities read and written per step (the job's progress is saved after each). */
  batchSize?: number;
  /** Failures kept on the job record; the rest are counted. */
  maxFailures?: number;
}

/**
 * Type changes with data: `changeType` saves a new type version and migrates existing entities in
 * a background job whose progress and cursor are saved after every batch (so `resume` continues
 * after a crash); `dryRun` walks the entities against a proposed change and lists those that would fail.
 */
export function createMigrations(service: RegistryService, options: MigrationOptions = {}) {
  const store = service.store;
  const batchSize = options.batchSize ?? 100;
  const maxFailures = options.maxFailures ?? 1000;
  const running = new Map<string, Promise<MigrationJobRecord>>();

  async function loadJob(actor: Actor, id: string): Promise<MigrationJobRecord> {
    const job = await store.getJob(actor.organisation, id);
    if (!job) throw new NotFoundError(`Migration job '${id}'`);
    return job;
  }

  async function step(actor: Actor, job: MigrationJobRecord): Promise<MigrationJobRecord> {
    const base = await service.loadType(actor.organisation, job.type);
    const type: EntityType = { ...base, fields: job.toFields, version: job.toVersion };
    const ids = await store.listIds(actor.organisation, job.type, job.cursor, batchSize);
    const entities = await store.getEntities(actor.organisation, ids);
    const next = { ...job, failures: [...job.failures] };
    for (const stored of entities) {
      next.processed++;
      if (stored.typeVersion >= job.toVersion) continue;
      const result = migrateData(type, job.fromFields, stored);
      if ("issues" in result) {
        next.failed++;
        if (next.failures.length < maxFailures) next.failures.push({ id: stored.id, issues: result.issues });
        if (!job.dryRun) await unindexChanged(actor, job, stored);
        continue;
      }
      if (job.dryRun) {
        next.migrated++;
        continue;
      }
      let current = stored;
      for (let attempt = 0; ; attempt++) {
        const entity = encodeEntity(type, result.data, {
          organisation: current.organisation,
          id: current.id,
          version: current.version + 1,
          owners: current.owners,
          createdAt: current.createdAt,
          updatedAt: service.clock.now().toISOString(),
        });
        try {
          await service.commitWrites(actor, [{ op: "update", entity, previous: current }]);
          next.migrated++;
          break;
        } catch (error) {
          if (!(error instanceof RegistryError) || error.code === RegistryErrorCode.store) throw error;
          if (!(error instanceof ConflictError) || attempt >= 3) {
            next.failed++;
            if (next.failures.length < maxFailures) {
              next.failures.push({
                id: stored.id,
                issues: [{ path: [], message: (error as Error).message }],
              });
            }
            break;
          }
          const fresh = await store.getEntity(actor.organisation, stored.id);
          if (!fresh || fresh.typeVersion >= job.toVersion) break;
          current = fresh;
        }
      }
    }
    next.cursor = ids.length > 0 ? ids[ids.length - 1]! : job.cursor;
    if (ids.length < batchSize) next.status = "completed";
    next.updatedAt = service.clock.now().toISOString();
    next.version = job.version + 1;
    await store.saveJob(next, job.version);
    return next;
  }

  /** An entity that cannot migrate keeps its data but leaves the indexes of changed fields, so searches never match stale keys. */
  async function unindexChanged(actor: Actor, job: MigrationJobRecord, stored: StoredEntity): Promise<void> {
    const changed = new Set(
      job.toFields
        .filter((f) => {
          const before = job.fromFields.find((b) => b.id === f.id);
          return !before || before.type !== f.type || !f.indexed;
        })
        .map((f) => f.id),
    );
    const keep = (e: { fieldId: string }) => !changed.has(e.fieldId);
    if (stored.index.every(keep) && stored.unique.every(keep)) return;
    const entity: StoredEntity = {
      ...stored,
      index: stored.index.filter(keep),
      unique: stored.unique.filter(keep),
      version: stored.version + 1,
      updatedAt: service.clock.now().toISOString(),
    };
    await service.commitWrites(actor, [{ op: "update", entity, previous: stored }]).catch((error) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }

  async function run(actor: Actor, id: string): Promise<MigrationJobRecord> {
    let job = await loadJob(actor, id);
    try {
      while (job.status === "running") job = await step(actor, job);
    } catch (error) {
      const failed = {
        ...job,
        status: "failed" as const,
        failures: [...job.failures, { id: "", issues: [{ path: [], message: (error as Error).message }] }],
        version: job.version + 1,
      };
      await store.saveJob(failed, job.version).catch(() => {});
      return failed;
    }
    return job;
  }

  function launch(actor: Actor, id: string): Promise<MigrationJobRecord> {
    const existing = running.get(id);
    if (existing) return existing;
    const promise = run(actor, id).finally(() => running.delete(id));
    running.set(id, promise);
    promise.catch(() => {});
    return promise;
  }

  async function createJob(
    actor: Actor,
    type: EntityType,
    fromFields: FieldDefinition[],
    toFields: FieldDefinition[],
    toVersion: number,
    dryRun: boolean,
    id: string = service.ids.next(),
  ): Promise<MigrationJobRecord> {
    const now = service.clock.now().toISOString();
    const job: MigrationJobRecord = {
      organisation: actor.organisation,
      id,
      type: type.name,
      fromVersion: type.version,
      toVersion,
      fromFields,
      toFields,
      dryRun,
      status: "running",
      cursor: null,
      processed: 0,
      migrated: 0,
      failed: 0,
      failures: [],
      startedAt: now,
      updatedAt: now,
      version: 1,
    };
    await store.saveJob(job, null);
    return job;
  }

  return {
    /** Saves the type change and starts migrating its entities in the background when their data must change. */
    async changeType(actor: Actor, name: string, patch: EntityTypePatch | unknown, expectedVersion?: number) {
      service.requireRole(actor, "admin");
      const current = await service.loadType(actor.organisation, name);
      const running = current.migration?.jobId
        ? await store.getJob(actor.organisation, current.migration.jobId)
        : null;
      if (running && running.status !== "completed") {
        throw new ConflictError(
          `The migration of ${name} to version ${running.toVersion} is ${running.status}: resume it before changing the type again`,
          { details: { jobId: running.id, status: running.status } },
        );
      }
      const jobId = service.ids.next();
      const { type, previous, migrationRequired } = await service.updateType(
        actor,
        name,
        patch,
        expectedVersion,
        {
          migrationJobId: jobId,
        },
      );
      if (!migrationRequired) return { type, job: null };
      const job = await createJob(actor, previous, previous.fields, type.fields, type.version, false, jobId);
      void launch(actor, job.id);
      return { type, job };
    },

    /** Walks every entity against a proposed change without saving anything; the job lists those that would fail. */
    async dryRun(actor: Actor, name: string, patch: EntityTypePatch | unknown) {
      service.requireRole(actor, "admin");
      const previous = await service.loadType(actor.organisation, name);
      const proposed = service.proposeType(previous, patch);
      const job = await createJob(actor, previous, previous.fields, proposed.fields, proposed.version, true);
      void launch(actor, job.id);
      return job;
    },

    async get(actor: Actor, id: string): Promise<MigrationJobRecord> {
      service.requireRole(actor, "read");
      return loadJob(actor, id);
    },

    /** Continues a job from its saved cursor (after a crash or restart). */
    async resume(actor: Actor, id: string): Promise<MigrationJobRecord> {
      service.requireRole(actor, "admin");
      const job = await loadJob(actor, id);
      if (job.status === "failed" || job.status === "paused") {
        await store.saveJob({ ...job, status: "running", version: job.version + 1 }, job.version);
      }
      void launch(actor, id);
      return loadJob(actor, id);
    },

    /** Resolves when a job started in this process stops; reads the record otherwise. */
    async wait(actor: Actor, id: string): Promise<MigrationJobRecord> {
      return running.get(id) ?? loadJob(actor, id);
    },

    /** Runs one batch of a job synchronously (for hosts that drive jobs themselves, e.g. a scheduled Lambda). */
    step: async (actor: Actor, id: string) => step(actor, await loadJob(actor, id)),
  };
}

export type Migrations = ReturnType<typeof createMigrations>;
