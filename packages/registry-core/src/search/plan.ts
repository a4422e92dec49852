import { QueryError, RegistryErrorCode, ValidationError } from "../errors.js";
import type { EntityType } from "../model/entity-type.js";
import { PREFIX_TYPES } from "../model/field.js";
import { toIssues } from "../schema/entity-schema.js";
import { coerceFromText, fieldValueSchema } from "../schema/field-schema.js";
import { indexKey, KEY_CEILING, KEY_MAX } from "../store/index-key.js";
import type { KeyRange } from "../store/registry-store.js";
import type { PlannedCondition, QueryPlan } from "./execute.js";
import { type ParsedSearchFilter, type SearchFilter, searchFilterSchema } from "./filter.js";

function rangeFor(op: string, key: string): KeyRange {
  switch (op) {
    case "eq":
      return { lower: { key: key, inclusive: true }, upper: { key: key + KEY_CEILING, inclusive: false } };
    case "lt":
      return { upper: { key, inclusive: false } };
    case "lte":
      return { upper: { key: key + KEY_CEILING, inclusive: false } };
    case "gt":
      return { lower: { key: key + KEY_CEILING, inclusive: false } };
    case "gte":
      return { lower: { key, inclusive: true } };
    default:
      return { lower: { key, inclusive: true }, upper: { key: key + KEY_MAX, inclusive: true } };
  }
}

export function parseFilter(filter: SearchFilter | unknown): ParsedSearchFilter {
  const result = searchFilterSchema.safeParse(filter);
  if (!result.success) throw new ValidationError("Invalid search", toIssues(result.error));
  return result.data;
}

/** Resolves field names, checks every filtered field is indexed and turns values into key ranges. */
export function planSearch(organisation: string, type: EntityType, filter: ParsedSearchFilter): QueryPlan {
  const all = [
    ...filter.conditions,
    ...Object.entries(filter.where ?? {}).map(([field, value]) => ({
      field,
      op: (Array.isArray(value) ? "in" : "eq") as "in" | "eq",
      value,
    })),
  ];
  const conditions: PlannedCondition[] = all.map((c, i) => {
    const field = type.fields.find((f) => f.name === c.field);
    if (!field) {
      throw new ValidationError(`${type.name} has no field '${c.field}'`, [
        { path: ["conditions", i, "field"], message: "unknown field" },
      ]);
    }
    if (field.type === "link") {
      throw new QueryError(
        RegistryErrorCode.invalidQuery,
        `Search links with links=<id>, not a field filter on '${field.name}'`,
      );
    }
    if (!field.indexed) {
      throw new QueryError(
        RegistryErrorCode.unindexedFilter,
        `Field '${field.name}' of ${type.name} is not indexed: mark it indexed to search on it`,
        { details: { field: field.name } },
      );
    }
    if (c.op === "prefix" && !PREFIX_TYPES.has(field.type)) {
      throw new QueryError(
        RegistryErrorCode.invalidQuery,
        `prefix applies to text fields, not ${field.type}`,
      );
    }
    const values = c.op === "in" ? (Array.isArray(c.value) ? c.value : [c.value]) : [c.value];
    const schema = c.op === "prefix" ? null : fieldValueSchema(field);
    const keys = values.map((raw, j) => {
      const value = typeof raw === "string" && field.type !== "string" ? coerceFromText(field, raw) : raw;
      if (schema) {
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          throw new ValidationError(`Invalid value for '${field.name}'`, [
            {
              path: ["conditions", i, "value", ...(c.op === "in" ? [j] : [])],
              message: parsed.error.issues[0]!.message,
            },
          ]);
        }
        return indexKey(field.type, parsed.data);
      }
      return indexKey(field.type, String(value));
    });
    const ranges = [...new Set(keys)].sort().map((k) => rangeFor(c.op === "in" ? "eq" : c.op, k));
    return { fieldId: field.id, ranges };
  });
  return {
    organisation,
    type: type.name,
    ...(filter.ids && { ids: filter.ids }),
    conditions,
    links: filter.links ?? [],
    limit: filter.limit,
    cursor: filter.cursor ?? null,
  };
}
