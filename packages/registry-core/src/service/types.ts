import { ConflictError, PreconditionRequiredError, ValidationError } from "../errors.js";
import type { Actor } from "../model/actor.js";
import {
  type EntityType,
  type EntityTypeInput,
  type EntityTypePatch,
  type EntityTypeReplacement,
  entityTypeInputSchema,
  entityTypePatchSchema,
  entityTypeReplacementSchema,
} from "../model/entity-type.js";
import type { MigrationJobRecord } from "../store/registry-store.js";
import { expectVersion, parseInput, type RegistryContext } from "./context.js";
import type { MigrationJobs } from "./migrations.js";
import { planTypeChange } from "./type-change.js";
import { defineFields } from "./type-definition.js";

/** A changed type, and the migration job when entities' data must change. */
export interface TypeChangeResult {
  type: EntityType;
  /** The job migrating existing entities, when their data must change (null otherwise). */
  job: MigrationJobRecord | null;
  /** Fields removed by the change; the job counts the entities that held data for each. */
  removed: { id: string; name: string }[];
}

/** Entity types: create, read, change (one path, merging fields by id), delete. */
export function typeUseCases(ctx: RegistryContext, migrations: MigrationJobs) {
  const { store } = ctx;

  async function checkLinkTargets(organisation: string, type: EntityType) {
    const issues: { path: (string | number)[]; message: string }[] = [];
    for (const [i, field] of type.fields.entries()) {
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

  async function change(
    actor: Actor,
    name: string,
    patch: EntityTypePatch,
    expectedVersion: number | undefined,
  ): Promise<TypeChangeResult> {
    ctx.requireRole(actor, "admin");
    const parsed = parseInput(entityTypePatchSchema, patch, "entity type change");
    if ((parsed.remove?.length ?? 0) > 0 && expectedVersion === undefined) {
      throw new PreconditionRequiredError(
        `Removing a field deletes its data: send the type's current version (If-Match) to confirm`,
        { details: { remove: parsed.remove } },
      );
    }
    return ctx.withRetry(expectedVersion, async () => {
      const previous = await ctx.loadType(actor.organisation, name);
      expectVersion(`Entity type '${name}'`, previous.version, expectedVersion);
      await migrations.refuseWhileRunning(actor, previous);
      const plan = planTypeChange(previous, parsed, ctx.ids, ctx.clock.now().toISOString());
      const jobId = plan.migrationRequired ? ctx.ids.next() : undefined;
      const { migration: _done, ...rest } = plan.type;
      const type: EntityType = jobId
        ? { ...rest, migration: { fromVersion: previous.version, fromFields: previous.fields, jobId } }
        : rest;
      await checkLinkTargets(actor.organisation, type);
      await store.saveType(type, previous.version);
      await ctx.publish([ctx.typeEvent(actor, type, "updated")]);
      const job = jobId ? await migrations.start(actor, previous, type, plan.removed, jobId) : null;
      return { type, job, removed: plan.removed.map((f) => ({ id: f.id, name: f.name })) };
    });
  }

  return {
    async createType(actor: Actor, input: EntityTypeInput): Promise<EntityType> {
      ctx.requireRole(actor, "admin");
      const parsed = parseInput(entityTypeInputSchema, input, "entity type");
      const now = ctx.clock.now().toISOString();
      const type: EntityType = {
        organisation: actor.organisation,
        name: parsed.name,
        description: parsed.description,
        tags: parsed.tags,
        fields: defineFields(parsed.fields, [], ctx.ids),
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await checkLinkTargets(actor.organisation, type);
      await store.saveType(type, null).catch((error) => {
        if (error instanceof ConflictError)
          throw new ConflictError(`Entity type '${type.name}' already exists`);
        throw error;
      });
      await ctx.publish([ctx.typeEvent(actor, type, "created")]);
      return type;
    },

    async getType(actor: Actor, name: string): Promise<EntityType> {
      ctx.requireRole(actor, "read");
      return ctx.loadType(actor.organisation, name);
    },

    async listTypes(actor: Actor, filter: { tag?: string } = {}): Promise<EntityType[]> {
      ctx.requireRole(actor, "read");
      const types = await store.listTypes(actor.organisation);
      return filter.tag ? types.filter((t) => t.tags.includes(filter.tag!)) : types;
    },

    /**
     * Changes description, tags or fields (merged by id; a new name is a rename that keeps the
     * data). Removing fields needs `expectedVersion`. When entities' data must change, a migration
     * job starts and is returned.
     */
    changeType: (
      actor: Actor,
      name: string,
      patch: EntityTypePatch,
      options: { expectedVersion?: number } = {},
    ) => change(actor, name, patch, options.expectedVersion),

    /** Replaces the whole definition: fields left out are removed, so `expectedVersion` is required. */
    async replaceType(
      actor: Actor,
      name: string,
      replacement: EntityTypeReplacement,
      expectedVersion: number,
    ): Promise<TypeChangeResult> {
      ctx.requireRole(actor, "admin");
      const parsed = parseInput(entityTypeReplacementSchema, replacement, "entity type");
      const previous = await ctx.loadType(actor.organisation, name);
      const kept = new Set(
        parsed.fields.map((f) => (f.id ?? previous.fields.find((p) => p.name === f.name)?.id) as string),
      );
      const remove = previous.fields.filter((f) => !kept.has(f.id)).map((f) => f.id);
      return change(
        actor,
        name,
        {
          description: parsed.description,
          tags: parsed.tags,
          fields: parsed.fields,
          ...(remove.length > 0 && { remove }),
        },
        expectedVersion,
      );
    },

    async deleteType(actor: Actor, name: string, expectedVersion?: number): Promise<void> {
      ctx.requireRole(actor, "admin");
      const type = await ctx.loadType(actor.organisation, name);
      expectVersion(`Entity type '${name}'`, type.version, expectedVersion);
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
      await store.deleteType(actor.organisation, name, type.version);
      await ctx.publish([ctx.typeEvent(actor, type, "deleted")]);
    },
  };
}
