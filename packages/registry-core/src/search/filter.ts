import { z } from "zod";

/** The operators of a search condition. */
export const FilterOp = {
  eq: "eq",
  ne: "ne",
  lt: "lt",
  lte: "lte",
  gt: "gt",
  gte: "gte",
  in: "in",
  nin: "nin",
  prefix: "prefix",
  /** Case-insensitive substring of a text field. */
  contains: "contains",
  /** `value: true`: the field has a value; `false`: it has none. */
  exists: "exists",
} as const;
/** One of the operators of `FilterOp`. */
export type FilterOp = (typeof FilterOp)[keyof typeof FilterOp];

export const conditionSchema = z
  .object({
    field: z.string().min(1),
    op: z.enum(Object.values(FilterOp) as [FilterOp, ...FilterOp[]]).default("eq"),
    value: z.unknown(),
  })
  .strict();
/** One search condition: a field, an operator and a value. */
export type Condition = z.input<typeof conditionSchema>;

export const sortSchema = z
  .object({
    field: z.string().min(1),
    direction: z.enum(["asc", "desc"]).default("asc"),
  })
  .strict();

/**
 * The JSON filter body. `conditions`, `where` (equality shorthand), `ids` and `links` are ANDed;
 * `anyOf` adds one OR of groups (each group's conditions ANDed).
 */
export const searchFilterSchema = z
  .object({
    conditions: z.array(conditionSchema).max(20).default([]),
    where: z.record(z.string(), z.unknown()).optional(),
    anyOf: z.array(z.array(conditionSchema).min(1).max(10)).min(1).max(10).optional(),
    ids: z.array(z.string().min(1)).max(1000).optional(),
    /** Entities linked to each of these ids, in either direction. */
    links: z.array(z.string().min(1)).max(20).optional(),
    /** Order by an indexed field (then id); entities without a value for it are not listed. */
    sort: sortSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    cursor: z.string().min(1).nullish(),
    /** Full-text search of the type's text fields through the registry's `SearchIndex`, best match first. */
    text: z.string().trim().min(1).max(500).optional(),
    /** Also count every match (`total` on the page); costs a walk of the matches. */
    count: z.boolean().default(false),
  })
  .strict();
/** What `search` takes: conditions, text, links, sort, page and whether to count. */
export type SearchFilter = z.input<typeof searchFilterSchema>;
export type ParsedSearchFilter = z.output<typeof searchFilterSchema>;
