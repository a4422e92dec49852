import { z } from "zod";
import { ForbiddenError } from "../errors.js";
import { type Actor, canModify, ownerSchema } from "../model/actor.js";
import type { Entity } from "../model/entity.js";
import type { EntityWrite } from "../store/stored-entity.js";
import { expectVersion, parseInput, type RegistryContext } from "./context.js";
import { planDelete } from "./plan-delete.js";

export const createEntitySchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .optional(),
    data: z.record(z.string(), z.unknown()).default({}),
    owners: z.array(ownerSchema).max(100).optional(),
  })
  .strict();
/** What `createEntity` takes: the data, and optionally an id and owners. */
export type CreateEntityInput = z.input<typeof createEntitySchema>;

export const updateEntitySchema = z
  .object({
    /** Fields to change; null removes an optional field. */
    data: z.record(z.string(), z.unknown()).default({}),
    owners: z.array(ownerSchema).max(100).optional(),
  })
  .strict();
/** What `updateEntity` takes: the data to change (null removes a field), and optionally owners. */
export type UpdateEntityInput = z.input<typeof updateEntitySchema>;

/**
 * Entities: create, read (with incoming links by inverse name), merge-update, delete with each
 * incoming link's on-delete rule. Writes without an expected version are retried after a lost
 * race (last writer wins, on every store); with one, a stale version is `PRECONDITION_FAILED`.
 */
export function entityUseCases(ctx: RegistryContext) {
  const { store } = ctx;
  return {
    async createEntity(actor: Actor, typeName: string, input: CreateEntityInput): Promise<Entity> {
      ctx.requireRole(actor, "write");
      const parsed = parseInput(createEntitySchema, input, "entity");
      const type = await ctx.loadType(actor.organisation, typeName);
      const entity = await ctx.prepareEntity(actor, type, parsed.data, {
        id: parsed.id ?? ctx.ids.next(),
        owners: parsed.owners,
      });
      await ctx.commit(actor, [{ op: "create", entity }]);
      return ctx.readable(type, entity);
    },

    async getEntity(actor: Actor, typeName: string, id: string): Promise<Entity> {
      ctx.requireRole(actor, "read");
      const type = await ctx.loadType(actor.organisation, typeName);
      const entity = ctx.readable(type, await ctx.getStored(actor.organisation, type, id));
      const incoming = await store.incoming(actor.organisation, id);
      if (incoming.length === 0) return entity;
      const typeOf = ctx.typeLookup(actor.organisation);
      const inverse: Record<string, { id: string; type: string }[]> = {};
      for (const edge of incoming) {
        const source = await typeOf(edge.sourceType).catch(() => null);
        const field = source?.fields.find((f) => f.id === edge.fieldId);
        const name = field?.link?.inverse ?? `${edge.sourceType}.${field?.name ?? edge.fieldId}`;
        inverse[name] = [...(inverse[name] ?? []), { id: edge.sourceId, type: edge.sourceType }];
      }
      return { ...entity, inverse };
    },

    /** Merges `data` into the entity (null removes a field). */
    async updateEntity(
      actor: Actor,
      typeName: string,
      id: string,
      input: UpdateEntityInput,
      expectedVersion?: number,
    ): Promise<Entity> {
      ctx.requireRole(actor, "write");
      const parsed = parseInput(updateEntitySchema, input, "entity change");
      return ctx.withRetry(expectedVersion, async () => {
        const type = await ctx.loadType(actor.organisation, typeName);
        const previous = await ctx.getStored(actor.organisation, type, id);
        if (!canModify(actor, previous.owners))
          throw new ForbiddenError(`This actor may not modify ${typeName} '${id}'`);
        expectVersion(`${typeName} '${id}'`, previous.version, expectedVersion);
        const entity = await ctx.prepareEntity(
          actor,
          type,
          { ...ctx.currentData(type, previous), ...parsed.data },
          { id, owners: parsed.owners, previous },
        );
        await ctx.commit(actor, [{ op: "update", entity, previous }]);
        return ctx.readable(type, entity);
      });
    },

    /** Deletes an entity and applies each incoming link's on-delete rule, all in one commit. */
    async deleteEntity(actor: Actor, typeName: string, id: string, expectedVersion?: number): Promise<void> {
      ctx.requireRole(actor, "write");
      await ctx.withRetry(expectedVersion, async () => {
        const type = await ctx.loadType(actor.organisation, typeName);
        const stored = await ctx.getStored(actor.organisation, type, id);
        if (!canModify(actor, stored.owners))
          throw new ForbiddenError(`This actor may not delete ${typeName} '${id}'`);
        expectVersion(`${typeName} '${id}'`, stored.version, expectedVersion);
        const writes: EntityWrite[] = await planDelete(
          { store, now: ctx.clock.now().toISOString(), typeOf: ctx.typeLookup(actor.organisation) },
          actor,
          stored,
        );
        await ctx.commit(actor, writes);
      });
    },
  };
}
