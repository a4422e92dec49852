import { z } from "zod";
import { type FieldDefinition, fieldInputSchema, NAME_PATTERN } from "./field.js";

/** The schema of a new entity type. */
export const entityTypeInputSchema = z
  .object({
    name: z.string().regex(NAME_PATTERN, "letters, digits and '_', starting with a letter"),
    description: z.string().max(2000).default(""),
    tags: z.array(z.string().min(1).max(64)).max(50).default([]),
    fields: z.array(fieldInputSchema).max(200).default([]),
  })
  .strict();
/** What `createType` takes: the name, fields, tags and description. */
export type EntityTypeInput = z.input<typeof entityTypeInputSchema>;

/**
 * A change to a type. `fields` are merged into the type's fields: an entry with an `id` (or, without
 * one, the `name` of an existing field) replaces that field, any other entry adds a field; fields
 * not mentioned stay. Removing a field is explicit: name it (by id or name) in `remove`.
 */
export const entityTypePatchSchema = z
  .object({
    description: z.string().max(2000).optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    fields: z.array(fieldInputSchema).max(200).optional(),
    remove: z.array(z.string().min(1).max(100)).max(200).optional(),
  })
  .strict();
/** What `changeType` takes: fields merged by id or name, and fields to remove. */
export type EntityTypePatch = z.input<typeof entityTypePatchSchema>;

/** A whole new definition (HTTP `PUT`): fields left out are removed, so it needs the current version. */
export const entityTypeReplacementSchema = entityTypeInputSchema.omit({ name: true });
/** What `replaceType` takes: the whole definition but its name. */
export type EntityTypeReplacement = z.input<typeof entityTypeReplacementSchema>;

/** An entity type as stored: its fields and version. */
export interface EntityType {
  organisation: string;
  name: string;
  description: string;
  tags: string[];
  fields: FieldDefinition[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /**
   * Set when this version changed fields in a way entities must migrate: the previous version's
   * fields, so entities a migration job has not reached yet are converted when read.
   */
  migration?: { fromVersion: number; fromFields: FieldDefinition[]; jobId?: string };
}

export function fieldByName(type: EntityType, name: string): FieldDefinition | undefined {
  return type.fields.find((f) => f.name === name);
}

export function fieldById(type: EntityType, id: string): FieldDefinition | undefined {
  return type.fields.find((f) => f.id === id);
}
