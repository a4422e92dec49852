import type { z } from "zod";
import { type RegistryIssue, ValidationError } from "../errors.js";
import { canConvert } from "../migration/conversions.js";
import type { EntityType, EntityTypeInput, entityTypeInputSchema } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import type { IdGenerator } from "../ports.js";
import { fieldValueSchema } from "../schema/field-schema.js";

type ParsedInput = z.output<typeof entityTypeInputSchema>;

/**
 * Turns declared fields into definitions: keeps ids of existing fields, assigns new ones, and
 * refuses duplicate names, bad defaults and type changes no conversion covers.
 */
export function defineFields(
  input: ParsedInput["fields"],
  previous: readonly FieldDefinition[],
  ids: IdGenerator,
): FieldDefinition[] {
  const issues: RegistryIssue[] = [];
  const names = new Set<string>();
  const fields: FieldDefinition[] = input.map((f, i) => {
    const existing = f.id ? previous.find((p) => p.id === f.id) : undefined;
    const id = existing?.id ?? f.id ?? ids.next().replace(/-/g, "").slice(0, 12);
    if (names.has(f.name))
      issues.push({ path: ["fields", i, "name"], message: `duplicate field name '${f.name}'` });
    names.add(f.name);
    const field: FieldDefinition = {
      id,
      name: f.name,
      type: f.type,
      required: f.required,
      unique: f.unique,
      indexed: f.indexed || f.unique,
      ...(f.description !== undefined && { description: f.description }),
      ...(f.choices !== undefined && { choices: f.choices }),
      ...(f.link !== undefined && { link: f.link }),
    };
    if (f.default !== undefined) {
      const parsed = fieldValueSchema(field).safeParse(f.default);
      if (!parsed.success)
        issues.push({ path: ["fields", i, "default"], message: parsed.error.issues[0]!.message });
      else field.default = parsed.data;
    }
    if (existing && !canConvert(existing, field)) {
      issues.push({
        path: ["fields", i, "type"],
        message: `no conversion from ${existing.type} to ${field.type}${field.type === "link" ? " (link targets cannot change)" : ""}`,
      });
    }
    if (!existing && previous.length > 0 && field.required && field.default === undefined) {
      issues.push({
        path: ["fields", i, "default"],
        message: "a required field added to a type needs a default",
      });
    }
    return field;
  });
  const fieldIds = new Set<string>();
  fields.forEach((f, i) => {
    if (fieldIds.has(f.id))
      issues.push({ path: ["fields", i, "id"], message: `duplicate field id '${f.id}'` });
    fieldIds.add(f.id);
  });
  if (issues.length > 0) throw new ValidationError("Invalid entity type", issues);
  return fields;
}

/** Whether existing entities must be rewritten for a new field list. */
export function needsMigration(
  before: readonly FieldDefinition[],
  after: readonly FieldDefinition[],
): boolean {
  if (before.length !== after.length) return true;
  for (const field of after) {
    const old = before.find((f) => f.id === field.id);
    if (!old) return true;
    if (
      old.type !== field.type ||
      old.indexed !== field.indexed ||
      old.unique !== field.unique ||
      old.required !== field.required ||
      JSON.stringify(old.choices) !== JSON.stringify(field.choices) ||
      JSON.stringify(old.link) !== JSON.stringify(field.link)
    ) {
      return true;
    }
  }
  return false;
}

export type { EntityType, EntityTypeInput };
