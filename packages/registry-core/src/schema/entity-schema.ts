import { z } from "zod";
import { type RegistryIssue, ValidationError } from "../errors.js";
import type { JsonValue } from "../model/entity.js";
import type { EntityType } from "../model/entity-type.js";
import { fieldValueSchema } from "./field-schema.js";

/** Built schemas by field definitions; stores hand out fresh copies of types, so objects cannot be the key. */
const cache = new Map<string, z.ZodType>();
const CACHE_SIZE = 500;

function cacheKey(type: EntityType): string {
  return `${type.name}\u0000${JSON.stringify(type.fields)}`;
}

/**
 * The zod schema of an entity's data by field name, built from its type: unknown fields are
 * refused, required fields must be present, null means absent, defaults fill missing fields.
 */
export function entitySchema(type: EntityType): z.ZodType<Record<string, JsonValue>> {
  const key = cacheKey(type);
  const cached = cache.get(key);
  if (cached) return cached as z.ZodType<Record<string, JsonValue>>;
  const shape: Record<string, z.ZodType> = {};
  for (const field of type.fields) {
    const value = fieldValueSchema(field);
    shape[field.name] = field.required
      ? z.preprocess((v) => (v === null ? undefined : v), value)
      : value.nullish();
  }
  const schema = z.strictObject(shape);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, schema);
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

/** Keys zod's object parsing drops without a word; refused here like any other unknown field. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

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
  const prototypeKeys =
    input && typeof input === "object"
      ? Object.keys(input).filter((k) => PROTOTYPE_KEYS.has(k) && !type.fields.some((f) => f.name === k))
      : [];
  if (!result.success || prototypeKeys.length > 0) {
    const issues = result.success ? [] : toIssues(result.error, ["data"]);
    for (const k of prototypeKeys) {
      if (!issues.some((i) => i.path[1] === k)) issues.push({ path: ["data", k], message: "unknown field" });
    }
    throw new ValidationError(
      `Invalid ${type.name}: ${issues.map((i) => i.path.slice(1).join(".") || "data").join(", ")}`,
      issues,
    );
  }
  const clean: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(result.data!)) if (v !== undefined && v !== null) clean[k] = v;
  return clean;
}
