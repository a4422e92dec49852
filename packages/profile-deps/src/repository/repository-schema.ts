import { z } from "zod";

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

export type RepositoryDocument = z.infer<typeof repositoryDocumentSchema>;
