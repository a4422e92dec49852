import { ValidationError } from "../errors.js";
import type { JsonValue } from "../model/entity.js";
import type { EntityType } from "../model/entity-type.js";
import type { FieldDefinition } from "../model/field.js";
import { validateData } from "../schema/entity-schema.js";
import type { StoredEntity } from "../store/stored-entity.js";
import { convertValue } from "./conversions.js";

/** The data an entity would have under new field definitions, or the issues that prevent it. */
export function migrateData(
  type: EntityType,
  fromFields: readonly FieldDefinition[],
  stored: StoredEntity,
): { data: Record<string, JsonValue> } | { issues: { path: (string | number)[]; message: string }[] } {
  const byName: Record<string, unknown> = {};
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const field of type.fields) {
    const before = fromFields.find((f) => f.id === field.id);
    const value = stored.data[field.id];
    if (!before) {
      if (field.default !== undefined) byName[field.name] = structuredClone(field.default);
      continue;
    }
    if (value === undefined) continue;
    const converted = convertValue(before, field, value);
    if (converted.ok) byName[field.name] = converted.value;
    else issues.push({ path: ["data", field.name], message: converted.message });
  }
  if (issues.length > 0) return { issues };
  try {
    return { data: validateData(type, byName, true) };
  } catch (error) {
    if (error instanceof ValidationError) return { issues: error.issues };
    throw error;
  }
}
