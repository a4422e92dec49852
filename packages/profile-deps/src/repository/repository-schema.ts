import { z } from "zod";

/** The format name of a repository document. */
export const REPOSITORY_FORMAT = "rez-benchmark-repository/1";

export const packageDefinitionSchema = z.object({
  requires: z.array(z.string()).default([]),
  variants: z.array(z.array(z.string())).optional(),
  timestamp: z.number().optional(),
});

/** `{"format": "rez-benchmark-repository/1", "families": {NAME: {VERSION: {requires, variants?, timestamp?}}}}` */
export const repositoryDocumentSchema = z.object({
  format: z.literal(REPOSITORY_FORMAT),
  families: z.record(z.string().min(1), z.record(z.string(), packageDefinitionSchema)),
});

/** A parsed repository document. */
export type RepositoryDocument = z.infer<typeof repositoryDocumentSchema>;
/** One version as `createMemoryRepository` accepts it (the schema's input, arrays read-only). */
export interface PackageDefinitionInput {
  readonly requires?: readonly string[] | undefined;
  readonly variants?: readonly (readonly string[])[] | undefined;
  readonly timestamp?: number | undefined;
}

/** What `createMemoryRepository` accepts: a wrong shape does not compile (and is still parsed at run time). */
export interface RepositoryDocumentInput {
  readonly format: typeof REPOSITORY_FORMAT;
  readonly families: Readonly<Record<string, Readonly<Record<string, PackageDefinitionInput>>>>;
}
