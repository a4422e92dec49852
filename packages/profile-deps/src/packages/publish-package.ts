import { z } from "zod";
import { ProfileDepsError } from "../errors.js";
import { type Clock, systemClock } from "../profiles/clock.js";
import { InvalidPackageError, toIssues, type ValidationIssue } from "../profiles/errors.js";
import { Package } from "../repository/package.js";
import { isValidPackageName } from "../version/package-name.js";
import { parseRequirement } from "../version/requirement.js";
import { parseVersion } from "../version/version.js";
import type { PublishablePackageRepository, StoredPackageDefinition } from "./publishable-repository.js";

/** The schema of a package definition to publish. */
export const packageDefinitionInputSchema = z
  .object({
    name: z
      .string()
      .max(200)
      .refine(isValidPackageName, "must be letters, digits and '_', in runs joined by single '.'"),
    version: z.string().max(200),
    requires: z.array(z.string().trim().min(1).max(500)).max(500).default([]),
    variants: z
      .array(z.array(z.string().trim().min(1).max(500)).max(500))
      .max(500)
      .optional(),
    /** Release time, epoch seconds; defaults to now. */
    timestamp: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A package definition as a publisher sends it. */
export type PackageDefinitionInput = z.input<typeof packageDefinitionInputSchema>;

/** A package as the repository holds it after publishing. */
export interface PublishedPackage {
  name: string;
  version: string;
  definition: StoredPackageDefinition;
}

/**
 * Validates a package definition (name, version, every requirement, no variant whose own
 * requirements conflict) and adds it to the repository. New versions only: a published
 * version is immutable (`PackageVersionExistsError`).
 */
export async function publishPackage(
  repository: PublishablePackageRepository,
  input: unknown,
  options: { clock?: Clock } = {},
): Promise<PublishedPackage> {
  const parsed = packageDefinitionInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidPackageError(toIssues(parsed.error.issues), { cause: parsed.error });
  const data = parsed.data;
  const issues: ValidationIssue[] = [];
  const check = (path: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof ProfileDepsError)) throw error;
      issues.push({ path, message: error.message });
    }
  };
  check("version", () => parseVersion(data.version));
  for (const [i, r] of data.requires.entries()) check(`requires.${i}`, () => parseRequirement(r));
  for (const [v, variant] of (data.variants ?? []).entries()) {
    for (const [i, r] of variant.entries()) check(`variants.${v}.${i}`, () => parseRequirement(r));
  }
  if (issues.length > 0) throw new InvalidPackageError(issues);

  const definition: StoredPackageDefinition = {
    requires: data.requires,
    ...(data.variants && data.variants.length > 0 ? { variants: data.variants } : {}),
    timestamp: data.timestamp ?? Math.floor((options.clock ?? systemClock).now().getTime() / 1000),
  };
  const pkg = new Package(data.name, parseVersion(data.version), definition);
  for (const variant of pkg.variants) {
    check(variant.index === null ? "requires" : `variants.${variant.index}`, () => variant.requires);
  }
  if (issues.length > 0) throw new InvalidPackageError(issues);

  await repository.addPackage(data.name, data.version, definition);
  return { name: data.name, version: data.version, definition };
}
