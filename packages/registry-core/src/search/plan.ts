import { QueryError, RegistryErrorCode, ValidationError } from "../errors.js";
import type { EntityType } from "../model/entity-type.js";
import { type FieldDefinition, PREFIX_TYPES } from "../model/field.js";
import { toIssues } from "../schema/entity-schema.js";
import { coerceFromText, fieldValueSchema } from "../schema/field-schema.js";
import { indexKey } from "../store/index-key.js";
import type { KeyRange } from "../store/registry-store.js";
import { type ParsedSearchFilter, type SearchFilter, searchFilterSchema } from "./filter.js";
import { complementOf, rangeFor, unionOf } from "./ranges.js";

/** A test on one field: its index keys within ranges, a case-insensitive substring, or no value at all. */
export type PlannedCondition =
  | { kind: "ranges"; fieldId: string; ranges: KeyRange[]; equality: boolean }
  | { kind: "contains"; fieldId: string; needle: string }
  | { kind: "absent"; fieldId: string };

/** What walks the results in order: the position in it is the cursor. */
export type Driver =
  | { kind: "ids"; ids: string[] }
  | { kind: "field"; fieldId: string; ranges: KeyRange[]; descending: boolean }
  | { kind: "link"; target: string }
  | { kind: "type" };

export interface QueryPlan {
  organisation: string;
  type: string;
  driver: Driver;
  /** Checked on each entity the driver yields: all must hold. */
  conditions: PlannedCondition[];
  /** Checked too: at least one group must hold entirely. */
  anyOf: PlannedCondition[][];
  links: string[];
  limit: number;
  cursor: string | null;
  count: boolean;
}

type Raw = { field: string; op: ParsedSearchFilter["conditions"][number]["op"]; value: unknown };

export function parseFilter(filter: SearchFilter | unknown): ParsedSearchFilter {
  const result = searchFilterSchema.safeParse(filter);
  if (!result.success) throw new ValidationError("Invalid search", toIssues(result.error));
  return result.data;
}

function fieldOf(type: EntityType, name: string, path: (string | number)[]): FieldDefinition {
  const field = type.fields.find((f) => f.name === name);
  if (!field)
    throw new ValidationError(`${type.name} has no field '${name}'`, [{ path, message: "unknown field" }]);
  if (field.type === "link") {
    throw new QueryError(
      RegistryErrorCode.invalidQuery,
      `Search links with links=<id>, not a field filter on '${field.name}'`,
    );
  }
  return field;
}

function requireIndexed(type: EntityType, field: FieldDefinition, use: string): void {
  if (!field.indexed) {
    throw new QueryError(
      RegistryErrorCode.unindexedFilter,
      `${use} '${field.name}' of ${type.name} needs an index: mark the field indexed`,
      { details: { field: field.name, index: field.name } },
    );
  }
}

function keyOf(field: FieldDefinition, raw: unknown, path: (string | number)[]): string {
  const value = typeof raw === "string" && field.type !== "string" ? coerceFromText(field, raw) : raw;
  const parsed = fieldValueSchema(field).safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(`Invalid value for '${field.name}'`, [
      { path, message: parsed.error.issues[0]!.message },
    ]);
  }
  return indexKey(field.type, parsed.data);
}

function planCondition(type: EntityType, c: Raw, path: (string | number)[]): PlannedCondition {
  const field = fieldOf(type, c.field, [...path, "field"]);
  const valuePath = [...path, "value"];
  switch (c.op) {
    case "contains": {
      if (!PREFIX_TYPES.has(field.type) || typeof c.value !== "string" || c.value === "") {
        throw new QueryError(
          RegistryErrorCode.invalidQuery,
          `contains takes text and applies to text fields, not ${field.type}`,
        );
      }
      return { kind: "contains", fieldId: field.id, needle: c.value.toLowerCase() };
    }
    case "exists": {
      const wanted = c.value === undefined ? true : c.value === true || c.value === "true";
      if (!wanted) return { kind: "absent", fieldId: field.id };
      requireIndexed(type, field, "Filter on");
      return { kind: "ranges", fieldId: field.id, ranges: [{}], equality: false };
    }
    case "prefix": {
      requireIndexed(type, field, "Filter on");
      if (!PREFIX_TYPES.has(field.type)) {
        throw new QueryError(
          RegistryErrorCode.invalidQuery,
          `prefix applies to text fields, not ${field.type}`,
        );
      }
      return {
        kind: "ranges",
        fieldId: field.id,
        ranges: [rangeFor("prefix", indexKey(field.type, String(c.value)))],
        equality: false,
      };
    }
    case "in":
    case "nin":
    case "ne": {
      requireIndexed(type, field, "Filter on");
      const values = c.op === "ne" ? [c.value] : Array.isArray(c.value) ? c.value : [c.value];
      const keys = values.map((v, j) => keyOf(field, v, c.op === "ne" ? valuePath : [...valuePath, j]));
      if (c.op === "in") {
        return {
          kind: "ranges",
          fieldId: field.id,
          ranges: unionOf(keys.map((k) => rangeFor("eq", k))),
          equality: true,
        };
      }
      return { kind: "ranges", fieldId: field.id, ranges: complementOf(keys), equality: false };
    }
    default: {
      requireIndexed(type, field, "Filter on");
      return {
        kind: "ranges",
        fieldId: field.id,
        ranges: [rangeFor(c.op, keyOf(field, c.value, valuePath))],
        equality: c.op === "eq",
      };
    }
  }
}

/**
 * Resolves field names, checks indexes, turns values into key ranges and picks the driver: ids, the
 * sort field, an equality, another indexed condition, an OR on one field, a link, or the type's list
 * (only when nothing else filters). A filter nothing indexed can drive is refused, never scanned.
 */
export function planSearch(organisation: string, type: EntityType, filter: ParsedSearchFilter): QueryPlan {
  const raw: Raw[] = [
    ...filter.conditions,
    ...Object.entries(filter.where ?? {}).map(([field, value]) => ({
      field,
      op: (Array.isArray(value) ? "in" : "eq") as Raw["op"],
      value,
    })),
  ];
  const conditions = raw.map((c, i) => planCondition(type, c, ["conditions", i]));
  let anyOf = (filter.anyOf ?? []).map((group, g) =>
    group.map((c, i) => planCondition(type, c, ["anyOf", g, i])),
  );
  const links = [...(filter.links ?? [])];
  const base = {
    organisation,
    type: type.name,
    limit: filter.limit,
    cursor: filter.cursor ?? null,
    count: filter.count,
  };

  // An OR whose alternatives are each one indexed test of the same field is one set of ranges.
  const single =
    anyOf.length > 0 && anyOf.every((g) => g.length === 1 && g[0]!.kind === "ranges")
      ? anyOf.map((g) => g[0]!)
      : null;
  if (single?.every((c) => c.fieldId === single[0]!.fieldId)) {
    const ranges = unionOf(single.flatMap((c) => (c.kind === "ranges" ? c.ranges : [])));
    conditions.push({ kind: "ranges", fieldId: single[0]!.fieldId, ranges, equality: false });
    anyOf = [];
  }

  if (filter.ids) {
    if (filter.sort) throw new QueryError(RegistryErrorCode.invalidQuery, "sort does not combine with ids");
    return {
      ...base,
      driver: { kind: "ids", ids: [...new Set(filter.ids)].sort() },
      conditions,
      anyOf,
      links,
    };
  }
  if (filter.sort) {
    const field = fieldOf(type, filter.sort.field, ["sort", "field"]);
    requireIndexed(type, field, "Sort by");
    const at = conditions.findIndex((c) => c.kind === "ranges" && c.fieldId === field.id);
    const own = at >= 0 ? (conditions.splice(at, 1)[0] as { ranges: KeyRange[] }).ranges : [{}];
    return {
      ...base,
      driver: { kind: "field", fieldId: field.id, ranges: own, descending: filter.sort.direction === "desc" },
      conditions,
      anyOf,
      links,
    };
  }
  const indexed = conditions
    .map((c, i) => ({ c, i }))
    .filter(
      (x): x is { c: Extract<PlannedCondition, { kind: "ranges" }>; i: number } => x.c.kind === "ranges",
    );
  const pick = indexed.find((x) => x.c.equality) ?? indexed[0];
  if (pick) {
    conditions.splice(pick.i, 1);
    return {
      ...base,
      driver: { kind: "field", fieldId: pick.c.fieldId, ranges: pick.c.ranges, descending: false },
      conditions,
      anyOf,
      links,
    };
  }
  if (links.length > 0) {
    return { ...base, driver: { kind: "link", target: links.shift()! }, conditions, anyOf, links };
  }
  const residual = [...conditions, ...anyOf.flat()];
  if (residual.length > 0) {
    const names = [...new Set(residual.map((c) => type.fields.find((f) => f.id === c.fieldId)!.name))];
    throw new QueryError(
      RegistryErrorCode.invalidQuery,
      `This filter needs a condition on an indexed field to drive it (contains, exists=false and an OR across fields are checked on what an index finds): add one, or sort by an indexed field (${names.join(", ")} alone cannot be looked up)`,
      { details: { fields: names } },
    );
  }
  return { ...base, driver: { kind: "type" }, conditions, anyOf, links };
}
