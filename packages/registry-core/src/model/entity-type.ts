import { z } from "zod";
import { type FieldDefinition, fieldInputSchema, NAME_PATTERN } from "./field.js";

export const entityTypeInputSchema = z
  .object({
    name: z.string().regex(NAME_PATTERN, "letters, digits and '_', starting with a letter"),
    description: z.string().max(2000).default(""),
    tags: z.array(z.string().min(1).max(64)).max(50).default([]),
    fields: z.array(fieldInputSchema).max(200).default([]),
  })
  .strict();
export type EntityTypeInput = z.input<typeof entityTypeInputSchema>;

/** A change to a type: any of description, tags and the whole field list (fields keep their ids). */
export const entityTypePatchSchema = z
  .object({
    description: z.string().max(2000).optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    fields: z.array(fieldInputSchema).max(200).optional(),
  })
  .strict();
export type EntityTypePatch = z.input<typeof entityTypePatchSchema>;

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
