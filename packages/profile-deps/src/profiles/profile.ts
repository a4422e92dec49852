import { z } from "zod";

/** Where a profile's current revision stands: pending, valid, invalid or error. */
export const ProfileStatus = {
  pending: "pending",
  valid: "valid",
  invalid: "invalid",
  error: "error",
} as const;

/** One of the statuses of `ProfileStatus`. */
export type ProfileStatus = (typeof ProfileStatus)[keyof typeof ProfileStatus];

export const resolvedPackageSchema = z.object({
  name: z.string(),
  version: z.string(),
  variantIndex: z.number().int().nonnegative().nullable(),
});

export const resolveFailureSchema = z.object({
  kind: z.enum(["conflict", "reduction", "cycle"]),
  description: z.string(),
  requirements: z.array(z.string()),
});

export const validationErrorSchema = z.object({ code: z.string(), message: z.string() });

/** What validating one revision found: resolved packages, a failed solve, or an error (missing package). */
export const validationResultSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("valid"),
    packages: z.array(resolvedPackageSchema),
    /** Resolved ephemerals (`.feature-2`): not packages, but part of the environment. */
    ephemerals: z.array(z.string()).optional(),
    resolvedAt: z.iso.datetime(),
  }),
  z.object({ status: z.literal("invalid"), failure: resolveFailureSchema, resolvedAt: z.iso.datetime() }),
  z.object({ status: z.literal("error"), error: validationErrorSchema, resolvedAt: z.iso.datetime() }),
]);

/** The result of resolving a profile revision. */
export type ValidationResult = z.infer<typeof validationResultSchema>;

/**
 * One revision of a profile as stored. The current revision is the profile. Its status
 * belongs to `validationId`: re-queuing a validation (the parent changed) issues a new id,
 * and a result is applied only to the id it was computed for.
 */
export const profileSchema = z.object({
  name: z.string(),
  revision: z.number().int().positive(),
  description: z.string(),
  requests: z.array(z.string()),
  parent: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  /** The request validated: the parent's effective request merged with `requests`. */
  effectiveRequest: z.array(z.string()),
  validationId: z.string(),
  status: z.enum(["pending", "valid", "invalid", "error"]),
  packages: z.array(resolvedPackageSchema).optional(),
  ephemerals: z.array(z.string()).optional(),
  failure: resolveFailureSchema.optional(),
  error: validationErrorSchema.optional(),
  resolvedAt: z.iso.datetime().optional(),
  /**
   * Set on the tombstone revision a delete writes: the profile as it was, one revision on,
   * with the time and author of the deletion in `updatedAt` / `updatedBy`.
   */
  deleted: z.literal(true).optional(),
});

/** A profile: its current revision, requests, status and resolved packages. */
export type Profile = z.infer<typeof profileSchema>;

/** A revision's validation fields, as `ProfileStore.setValidation` writes them. */
export type ProfileValidationState = Pick<
  Profile,
  | "validationId"
  | "effectiveRequest"
  | "status"
  | "packages"
  | "ephemerals"
  | "failure"
  | "error"
  | "resolvedAt"
>;

/** The validation fields of a result, ready to store. */
export function validationStateOf(
  result: ValidationResult,
  validationId: string,
  effectiveRequest: readonly string[],
): ProfileValidationState {
  const base = { validationId, effectiveRequest: [...effectiveRequest], resolvedAt: result.resolvedAt };
  switch (result.status) {
    case "valid":
      return {
        ...base,
        status: "valid",
        packages: result.packages,
        ...(result.ephemerals?.length ? { ephemerals: result.ephemerals } : {}),
      };
    case "invalid":
      return { ...base, status: "invalid", failure: result.failure };
    case "error":
      return { ...base, status: "error", error: result.error };
  }
}

/** `revision` with its validation fields replaced (stale ones from a previous state dropped). */
export function withValidation(profile: Profile, state: ProfileValidationState): Profile {
  const { packages: _p, ephemerals: _ep, failure: _f, error: _e, resolvedAt: _r, ...rest } = profile;
  const next: Profile = { ...rest, ...state, effectiveRequest: [...state.effectiveRequest] };
  for (const key of ["packages", "ephemerals", "failure", "error", "resolvedAt"] as const) {
    if (next[key] === undefined) delete next[key];
  }
  return next;
}
