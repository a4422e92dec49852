import type { z } from "zod";
import { ValidationError } from "../errors.js";
import type { EntityType, entityTypePatchSchema } from "../model/entity-type.js";
import { type FieldDefinition, type FieldInput, fieldInputSchema } from "../model/field.js";
import type { IdGenerator } from "../ports.js";
import { defineFields, needsMigration } from "./type-definition.js";

type ParsedPatch = z.output<typeof entityTypePatchSchema>;

export interface TypeChange {
  /** The next version of the type (not saved). */
  type: EntityType;
  /** Fields the change removes: their data goes with them. */
  removed: FieldDefinition[];
  migrationRequired: boolean;
}

/**
 * The one place a type change is worked out, for saves and dry runs alike: fields merged by id
 * (or by name), explicit removals, ids kept, conversions checked.
 */
export function planTypeChange(
  previous: EntityType,
  patch: ParsedPatch,
  ids: IdGenerator,
  now: string,
): TypeChange {
  const removeKeys = new Set(patch.remove ?? []);
  const removed = previous.fields.filter((f) => removeKeys.has(f.id) || removeKeys.has(f.name));
  const unknown = [...removeKeys].filter((k) => !previous.fields.some((f) => f.id === k || f.name === k));
  if (unknown.length > 0) {
    throw new ValidationError(`${previous.name} has no field ${unknown.join(", ")}`, [
      { path: ["remove"], message: `unknown field ${unknown.join(", ")}` },
    ]);
  }
  const updates = patch.fields ?? [];
  const target = (input: FieldInput) =>
    input.id !== undefined
      ? previous.fields.find((f) => f.id === input.id)
      : previous.fields.find((f) => f.name === input.name);
  const clash = updates.findIndex((u) => {
    const existing = target(u);
    return existing !== undefined && removed.includes(existing);
  });
  if (clash >= 0) {
    throw new ValidationError("A field cannot be both changed and removed", [
      { path: ["fields", clash], message: "also listed in remove" },
    ]);
  }
  const byExisting = new Map<string, FieldInput>();
  const added: FieldInput[] = [];
  for (const update of updates) {
    const existing = target(update);
    if (existing) byExisting.set(existing.id, { ...update, id: existing.id });
    else added.push(update);
  }
  const merged = [
    ...previous.fields
      .filter((f) => !removed.includes(f))
      .map((f) => byExisting.get(f.id) ?? (f as FieldInput)),
    ...added,
  ].map((f) => fieldInputSchema.parse(f));
  const fields =
    patch.fields || removed.length > 0 ? defineFields(merged, previous.fields, ids) : previous.fields;
  const type: EntityType = {
    ...previous,
    description: patch.description ?? previous.description,
    tags: patch.tags ?? previous.tags,
    fields,
    version: previous.version + 1,
    updatedAt: now,
  };
  return { type, removed, migrationRequired: needsMigration(previous.fields, fields) };
}
