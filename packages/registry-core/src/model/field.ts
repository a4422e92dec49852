import { z } from "zod";

/** The types a field can have. */
export const FieldType = {
  string: "string",
  text: "text",
  integer: "integer",
  number: "number",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
  email: "email",
  url: "url",
  enum: "enum",
  json: "json",
  link: "link",
} as const;
/** One of the types of `FieldType`. */
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** What deleting a linked entity does to the link: refuse, delete along, or unlink. */
export const OnDelete = { restrict: "restrict", cascade: "cascade", unlink: "unlink" } as const;
/** One of the rules of `OnDelete`. */
export type OnDelete = (typeof OnDelete)[keyof typeof OnDelete];

/** Whether a link field holds one entity or many. */
export const Cardinality = { one: "one", many: "many" } as const;
/** One of the values of `Cardinality`. */
export type Cardinality = (typeof Cardinality)[keyof typeof Cardinality];

/** Field types whose values have a total order and can live in a secondary index. */
export const INDEXABLE_TYPES: ReadonlySet<FieldType> = new Set([
  "string",
  "text",
  "integer",
  "number",
  "boolean",
  "date",
  "datetime",
  "email",
  "url",
  "enum",
]);

/** Field types a prefix filter applies to. */
export const PREFIX_TYPES: ReadonlySet<FieldType> = new Set(["string", "text", "email", "url", "enum"]);

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  "id",
  "type",
  "version",
  "organisation",
  "owners",
  "createdAt",
  "updatedAt",
  // Names JavaScript gives meaning to on every object: refused so data can never touch a prototype.
  "constructor",
  "prototype",
  "__proto__",
]);

export const linkSpecSchema = z.object({
  target: z.string().regex(NAME_PATTERN, "a type name"),
  cardinality: z.enum(["one", "many"]).default("one"),
  /** The name this edge shows under on the target, e.g. `employees` for `employer`. */
  inverse: z.string().regex(NAME_PATTERN, "an identifier").optional(),
  onDelete: z.enum(["restrict", "cascade", "unlink"]).default("restrict"),
});
/** How a link field links: the target type, the inverse field, cardinality and delete rule. */
export type LinkSpec = z.infer<typeof linkSpecSchema>;

/** A field as a caller declares it; `id` is assigned when absent and never changes afterwards. */
export const fieldInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional(),
    name: z
      .string()
      .regex(NAME_PATTERN, "letters, digits and '_', starting with a letter")
      .refine((n) => !RESERVED_FIELD_NAMES.has(n), "is a reserved name"),
    type: z.enum(Object.values(FieldType) as [FieldType, ...FieldType[]]),
    description: z.string().max(2000).optional(),
    required: z.boolean().default(false),
    unique: z.boolean().default(false),
    indexed: z.boolean().default(false),
    default: z.unknown().optional(),
    choices: z.array(z.string().min(1)).min(1).optional(),
    link: linkSpecSchema.optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if (field.type === "enum" && !field.choices) {
      ctx.addIssue({ code: "custom", path: ["choices"], message: "an enum field needs choices" });
    }
    if (field.type !== "enum" && field.choices) {
      ctx.addIssue({ code: "custom", path: ["choices"], message: "only enum fields take choices" });
    }
    if (field.type === "link" && !field.link) {
      ctx.addIssue({ code: "custom", path: ["link"], message: "a link field needs link.target" });
    }
    if (field.type !== "link" && field.link) {
      ctx.addIssue({ code: "custom", path: ["link"], message: "only link fields take link" });
    }
    if ((field.indexed || field.unique) && !INDEXABLE_TYPES.has(field.type)) {
      ctx.addIssue({
        code: "custom",
        path: [field.unique ? "unique" : "indexed"],
        message: `${field.type} fields cannot be indexed (links are searched with links=)`,
      });
    }
  });
/** A field as a type definition writes it. */
export type FieldInput = z.input<typeof fieldInputSchema>;

/** A field as stored, with its id. */
export interface FieldDefinition {
  id: string;
  name: string;
  type: FieldType;
  description?: string;
  required: boolean;
  unique: boolean;
  /** True for unique fields too: uniqueness needs the index. */
  indexed: boolean;
  default?: unknown;
  choices?: string[];
  link?: LinkSpec;
}
