import { z } from "zod";

export const Role = { read: "read", write: "write", admin: "admin" } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Who is asking. Reads and writes are confined to `organisation`; `roles` say what is allowed there. */
export interface Actor {
  /** User id; null for anonymous actors. */
  id: string | null;
  organisation: string;
  groups: string[];
  roles: Role[];
}

export const ownerSchema = z.object({
  kind: z.enum(["user", "group", "organisation"]),
  id: z.string().min(1).max(200),
});
export type Owner = z.infer<typeof ownerSchema>;

export const actorSchema = z.object({
  id: z.string().min(1).nullable(),
  organisation: z.string().min(1).max(200),
  groups: z.array(z.string()).default([]),
  roles: z.array(z.enum(["read", "write", "admin"])).default(["read"]),
});

export interface AnonymousPolicy {
  /** The organisation anonymous actors see. */
  organisation: string;
  /** Anonymous actors are read-only unless this is true. */
  canWrite?: boolean;
  /** Explicit roles, overriding `canWrite` (e.g. `["admin"]` for a local demo with no identity provider). */
  roles?: Role[];
}

export function anonymousActor(policy: AnonymousPolicy): Actor {
  return {
    id: null,
    organisation: policy.organisation,
    groups: [],
    roles: policy.roles ?? (policy.canWrite ? ["read", "write"] : ["read"]),
  };
}

export function hasRole(actor: Actor, role: Role): boolean {
  if (actor.roles.includes("admin")) return true;
  if (role === "read") return actor.roles.length > 0;
  return actor.roles.includes(role);
}

/** Admins may change anything in their organisation; writers what they, one of their groups or their organisation owns. */
export function canModify(actor: Actor, owners: readonly Owner[]): boolean {
  if (actor.roles.includes("admin")) return true;
  if (!actor.roles.includes("write")) return false;
  return owners.some(
    (o) =>
      (o.kind === "user" && actor.id !== null && o.id === actor.id) ||
      (o.kind === "group" && actor.groups.includes(o.id)) ||
      (o.kind === "organisation" && o.id === actor.organisation),
  );
}
