import { z } from "zod";
import { domains } from "./domains.js";

const segment = "[a-z][a-z0-9]*(?:-[a-z0-9]+)*";

/** `rooms/api`: lower-case segments of letters, digits and single hyphens, joined by `/`. */
export const serviceNameSchema = z
  .string()
  .regex(
    new RegExp(`^${segment}(?:/${segment})*$`),
    "lower-case words joined by '-', segments joined by '/' (e.g. rooms/api)",
  )
  .max(48, "at most 48 characters (it becomes part of AWS resource names)");

/** The schema of one service of the manifest. */
export const serviceEntrySchema = z.strictObject({
  name: serviceNameSchema,
  /** Port the service listens on in `portside dev`. */
  devPort: z.number().int().min(1024).max(65535),
  /** Domains it composes, each served by its package's HTTP handler. */
  domains: z
    .array(z.enum(domains))
    .min(1)
    .refine((d) => new Set(d).size === d.length, "listed twice"),
  hosts: z
    .array(z.enum(["express", "lambda"]))
    .min(1)
    .default(["express", "lambda"]),
  groups: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case word")).default([]),
  enabled: z.boolean().default(true),
  /** Whether it uses AWS resources when deployed (tables, queues, secrets). */
  usesAws: z.boolean().default(true),
});

/** The schema of the services manifest. */
export const manifestSchema = z.strictObject({
  /** npm scope of generated service packages, without `@`. */
  scope: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-._]*$/, "an npm scope without '@'")
    .default("services"),
  services: z.array(serviceEntrySchema),
});

/** One service as the manifest file writes it. */
export type ServiceEntryInput = z.input<typeof serviceEntrySchema>;
/** One service of a parsed manifest. */
export type ServiceEntry = z.output<typeof serviceEntrySchema>;
/** The manifest as its file writes it. */
export type ManifestInput = z.input<typeof manifestSchema>;
/** A parsed services manifest. */
export type Manifest = z.output<typeof manifestSchema>;
