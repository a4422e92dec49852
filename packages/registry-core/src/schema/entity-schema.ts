import { z } from "zod";
import { type RegistryIssue, ValidationError } from "../errors.js";
import type { JsonValue } from "../model/entity.js";
import type { EntityType } from "../model/entity-type.js";
import { fieldValueSchema } from "./field-schema.js";

const cache = new WeakMap<EntityType, z.ZodType>();

/**
 * The zod schema of an entity's data by field name, built from its type: unknown fields are
 * refused, required fields must be present, null means absent, defaults fill missing fields.
 */
export function entitySchema(type: EntityType): z.ZodType<Record<string, JsonValue>> {
  const cached = cache.get(type);
  if (cached) return cached as z.ZodType<Record<string, JsonValue>>;
  const shape: Record<string, z.ZodType> = {};
  for (const field of type.fields) {
    const value = fieldValueSchema(field);
    shape[field.name] = field.required
      ? z.preprocess((v) => (v === null ? undefined : v), value)
      : value.nullish();
  }
  const schema = z.strictObject(shape);
  cache.set(type, schema);
  return schema as unknown as z.ZodType<Record<string, JsonValue>>;
}

export function toIssues(error: z.ZodError, prefix: (string | number)[] = []): RegistryIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: [...prefix, ...issue.path.map(String), ...issue.keys], message: "unknown field" };
    }
    return {
      path: [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      message: issue.message,
    };
  });
}

/** Validates data by field name against the type, applying defaults; throws with every bad field listed. */
export function validateData(
  type: EntityType,
  data: unknown,
  applyDefaults: boolean,
): Record<string, JsonValue> {
  let input = data;
  if (applyDefaults && data && typeof data === "object" && !Array.isArray(data)) {
    const withDefaults: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const field of type.fields) {
      if (
        field.default !== undefined &&
        (withDefaults[field.name] === undefined || withDefaults[field.name] === null)
      ) {
        withDefaults[field.name] = structuredClone(field.default);
      }
    }
    input = withDefaults;
  }
  const result = entitySchema(type).safeParse(input);
  if (!result.success) {
    const issues = toIssues(result.error, ["data"]);
    throw new ValidationError(
      `Invalid ${type.name}: ${issues.map((i) => i.path.slice(1).join(".") || "data").join(", ")}`,
      issues,
    );
  }
  const clean: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(result.data)) if (v !== undefined && v !== null) clean[k] = v;
  return clean;
}
