import { z } from "zod";
import { InvalidRequirementError } from "../errors.js";
import { parseRequirement } from "../version/requirement.js";
import { InvalidProfileError, toIssues, type ValidationIssue } from "./errors.js";

/** Profile names are slugs: lowercase letters, digits and single dashes. */
export const PROFILE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The schema of a profile name. */
export const profileNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(PROFILE_NAME, "must be a slug: lowercase letters, digits and single dashes");

const tagSchema = z.string().trim().min(1).max(64);

const fields = {
  description: z.string().max(2000).default(""),
  requests: z.array(z.string().trim().min(1).max(500)).max(500),
  parent: profileNameSchema.nullable().default(null),
  tags: z
    .array(tagSchema)
    .max(50)
    .default([])
    .transform((tags) => [...new Set(tags)].sort()),
};

/** The schema of a new profile. */
export const createProfileInputSchema = z.object({ name: profileNameSchema, ...fields }).strict();

/** A full replacement of a profile's editable fields, against the revision it was read at. */
export const updateProfileInputSchema = z
  .object({ expectedRevision: z.number().int().positive(), ...fields })
  .strict();

/** What `create` takes: the name, requests, parent, tags and description. */
export type CreateProfileInput = z.input<typeof createProfileInputSchema>;
/** What `update` takes: the fields to change. */
export type UpdateProfileInput = z.input<typeof updateProfileInputSchema>;

/** Parses with zod, then every request as a Rez requirement; an unparsable one is named by index and text. */
export function parseProfileInput<S extends z.ZodType<{ requests: string[] }>>(
  schema: S,
  input: unknown,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidProfileError(toIssues(parsed.error.issues), { cause: parsed.error });
  const issues: ValidationIssue[] = [];
  parsed.data.requests.forEach((request, i) => {
    try {
      parseRequirement(request);
    } catch (error) {
      if (!(error instanceof InvalidRequirementError)) throw error;
      issues.push({ path: `requests.${i}`, message: error.message });
    }
  });
  if (issues.length > 0) throw new InvalidProfileError(issues);
  return parsed.data;
}
