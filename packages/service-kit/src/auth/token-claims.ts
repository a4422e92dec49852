import { z } from "zod";

/** Roles as a JSON array or a space- or comma-separated string (both are common in IdPs). */
const roleList = z
  .union([z.array(z.string()), z.string().transform((v) => v.split(/[\s,]+/).filter(Boolean))])
  .optional()
  .transform((v) => v ?? []);

/** The claims the example hosts read from a verified JWT; anything else in the token is ignored. */
export const tokenClaimsSchema = z.object({
  sub: z.string().min(1),
  org: z.string().min(1).optional(),
  roles: roleList,
  groups: roleList,
});

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;
