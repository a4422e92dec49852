import { ConflictError, NotFoundError, RegistryError, RegistryErrorCode } from "../errors.js";
import { migrateData } from "../migration/migrate-data.js";
import type { Actor } from "../model/actor.js";
import type { EntityType, EntityTypePatch } from "../model/entity-type.js";
import { entityTypePatchSchema } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import type { MigrationJobRecord } from "../store/registry-store.js";
import type { StoredEntity } from "../store/stored-entity.js";
import { parseInput, type RegistryContext } from "./context.js";
import { encodeEntity } from "./entity-codec.js";
import { planTypeChange } from "./type-change.js";
import { createYielder } from "./yielder.js";

/** How migration jobs slice their work and how many failures they keep. */
export interface MigrationOptions {
  /** Entities read and written per slice (the job's progress is saved after each, and other work runs between). */
  batchSize?: number;
  /** Failures kept on the job record; the rest are counted. */
  maxFailures?: number;
}

/**
 * Migration jobs: a type change that alters entities' data is followed by a job that walks them in
 * slices, saving its cursor and progress after each (so `resume` continues after a crash) and
 * yielding to the event loop between slices (so an in-memory store keeps serving).
 */
export function migrationJobs(ctx: RegistryContext, options: MigrationOptions = {}) {
  const { store } = ctx;
  const batchSize = options.batchSize ?? 100;
  const maxFailures = options.maxFailures ?? 1000;
  const running = new Map<string, Promise<MigrationJobRecord>>();

  async function loadJob(actor: Actor, id: string): Promise<MigrationJobRecord> {
    const job = await store.getJob(actor.organisation, id);
    if (!job || (job.kind ?? "migration") !== "migration") throw new NotFoundError(`Migration job '${id}'`);
    return job as MigrationJobRecord;
  }

  const fail = (job: MigrationJobRecord, id: string, message: string) => {
    job.failed++;
    if (job.failures.length < maxFailures) job.failures.push({ id, issues: [{ path: [], message }] });
  };

  async function step(actor: Actor, job: MigrationJobRecord): Promise<MigrationJobRecord> {
    const base = await ctx.loadType(actor.organisation, job.type);
    const type: EntityType = { ...base, fields: job.toFields, version: job.toVersion };
    const ids = await store.listIds(actor.organisation, job.type, job.cursor, batchSize);
    const entities = await store.getEntities(actor.organisation, ids);
    const next: MigrationJobRecord = {
      ...job,
      failures: [...job.failures],
      removedFields: job.removedFields?.map((r) => ({ ...r })),
    };
    const pause = createYielder();
    for (const stored of entities) {
      await pause();
      next.processed++;
      if (stored.typeVersion >= job.toVersion) continue;
      for (const removed of next.removedFields ?? [])
        if (stored.data[removed.id] !== undefined) removed.entities++;
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
          updatedAt: ctx.clock.now().toISOString(),
        });
        try {
          await ctx.commit(actor, [{ op: "update", entity, previous: current }]);
          next.migrated++;
          break;
        } catch (error) {
          if (!(error instanceof RegistryError) || error.code === RegistryErrorCode.store) throw error;
          if (!(error instanceof ConflictError) || attempt >= 3) {
            fail(next, stored.id, error.message);
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
    next.updatedAt = ctx.clock.now().toISOString();
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
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.commit(actor, [{ op: "update", entity, previous: stored }]).catch((error) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }

  async function run(actor: Actor, id: string): Promise<MigrationJobRecord> {
    let job = await loadJob(actor, id);
    try {
      const pause = createYielder(0);
      while (job.status === "running") {
        await pause();
        job = await step(actor, job);
      }
    } catch (error) {
      const failed: MigrationJobRecord = {
        ...job,
        status: "failed",
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
    from: EntityType,
    to: { fields: FieldDefinition[]; version: number },
    removed: FieldDefinition[],
    dryRun: boolean,
    id: string,
  ): Promise<MigrationJobRecord> {
    const now = ctx.clock.now().toISOString();
    const job: MigrationJobRecord = {
      kind: "migration",
      organisation: actor.organisation,
      id,
      type: from.name,
      fromVersion: from.version,
      toVersion: to.version,
      fromFields: from.fields,
      toFields: to.fields,
      ...(removed.length > 0 && {
        removedFields: removed.map((f) => ({ id: f.id, name: f.name, entities: 0 })),
      }),
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
    /** Internal: refuses a type change while the type's last migration has not completed. */
    async refuseWhileRunning(actor: Actor, type: EntityType): Promise<void> {
      const last = type.migration?.jobId
        ? await store.getJob(actor.organisation, type.migration.jobId)
        : null;
      if (last && last.kind !== "import-undo" && last.status !== "completed") {
        throw new ConflictError(
          `The migration of ${type.name} to version ${type.version} is ${last.status}: resume it before changing the type again`,
          { details: { jobId: last.id, status: last.status } },
        );
      }
    },

    /** Internal: records and launches the job for a saved type change. */
    async start(
      actor: Actor,
      previous: EntityType,
      type: EntityType,
      removed: FieldDefinition[],
      jobId: string,
    ): Promise<MigrationJobRecord> {
      const job = await createJob(actor, previous, type, removed, false, jobId);
      void launch(actor, job.id);
      return job;
    },

    /** Walks every entity against a proposed change without saving anything; the job lists those that would fail. */
    async dryRun(actor: Actor, name: string, patch: EntityTypePatch): Promise<MigrationJobRecord> {
      ctx.requireRole(actor, "admin");
      const parsed = parseInput(entityTypePatchSchema, patch, "entity type change");
      const previous = await ctx.loadType(actor.organisation, name);
      const plan = planTypeChange(previous, parsed, ctx.ids, ctx.clock.now().toISOString());
      const job = await createJob(actor, previous, plan.type, plan.removed, true, ctx.ids.next());
      void launch(actor, job.id);
      return job;
    },

    async get(actor: Actor, id: string): Promise<MigrationJobRecord> {
      ctx.requireRole(actor, "read");
      return loadJob(actor, id);
    },

    /** Continues a job from its saved cursor (after a crash or restart). */
    async resume(actor: Actor, id: string): Promise<MigrationJobRecord> {
      ctx.requireRole(actor, "admin");
      const job = await loadJob(actor, id);
      if (job.status === "failed" || job.status === "paused") {
        await store.saveJob({ ...job, status: "running", version: job.version + 1 }, job.version);
      }
      void launch(actor, id);
      return loadJob(actor, id);
    },

    /** Resolves when a job started in this process stops; reads the record otherwise. */
    async wait(actor: Actor, id: string): Promise<MigrationJobRecord> {
      ctx.requireRole(actor, "read");
      return running.get(id) ?? loadJob(actor, id);
    },

    /** Runs one slice of a job (for hosts that drive jobs themselves, e.g. a scheduled Lambda). */
    async step(actor: Actor, id: string): Promise<MigrationJobRecord> {
      ctx.requireRole(actor, "admin");
      return step(actor, await loadJob(actor, id));
    },
  };
}

export type MigrationJobs = ReturnType<typeof migrationJobs>;

/** What callers may do with migration jobs. */
export type Migrations = Omit<MigrationJobs, "refuseWhileRunning" | "start">;
