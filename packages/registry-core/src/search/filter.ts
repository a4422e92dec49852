import { z } from "zod";

export const FilterOp = {
  eq: "eq",
  lt: "lt",
  lte: "lte",
  gt: "gt",
  gte: "gte",
  in: "in",
  prefix: "prefix",
} as const;
export type FilterOp = (typeof FilterOp)[keyof typeof FilterOp];

export const conditionSchema = z
  .object({
    field: z.string().min(1),
    op: z.enum(["eq", "lt", "lte", "gt", "gte", "in", "prefix"]).default("eq"),
    value: z.unknown(),
  })
  .strict();
export type Condition = z.input<typeof conditionSchema>;

/** The JSON filter body; every part is ANDed. `where` is shorthand for equality conditions. */
export const searchFilterSchema = z
  .object({
    conditions: z.array(conditionSchema).max(20).default([]),
    where: z.record(z.string(), z.unknown()).optional(),
    ids: z.array(z.string().min(1)).max(1000).optional(),
    /** Entities linked to each of these ids, in either direction. */
    links: z.array(z.string().min(1)).max(20).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    cursor: z.string().min(1).nullish(),
  })
  .strict();
export type SearchFilter = z.input<typeof searchFilterSchema>;
export type ParsedSearchFilter = z.output<typeof searchFilterSchema>;
