import { z } from "zod";

/** What an actor may do: read, write or administer. */
export const Role = { read: "read", write: "write", admin: "admin" } as const;
/** One of the roles of `Role`. */
export type Role = (typeof Role)[keyof typeof Role];

/** Who is asking. Reads and writes are confined to `organisation`; `roles` say what is allowed there. */
export interface Actor {
  /** User id; null for anonymous actors. */
  id: string | null;
  organisation: string;
  groups: string[];
  roles: Role[];
}

/** The schema of an entity's owner. */
export const ownerSchema = z.object({
  kind: z.enum(["user", "group", "organisation"]),
  id: z.string().min(1).max(200),
});
/** Who owns an entity: a user, a group or the organisation. */
export type Owner = z.infer<typeof ownerSchema>;

/** The schema of an actor. */
export const actorSchema = z.object({
  id: z.string().min(1).nullable(),
  organisation: z.string().min(1).max(200),
  groups: z.array(z.string()).default([]),
  roles: z.array(z.enum(["read", "write", "admin"])).default(["read"]),
});

/** What requests without identity may do, and in which organisation. */
export interface AnonymousPolicy {
  /** The organisation anonymous actors see. */
  organisation: string;
  /** Anonymous actors are read-only unless this is true. */
  canWrite?: boolean;
  /** Explicit roles, overriding `canWrite` (e.g. `["admin"]` for a local demo with no identity provider). */
  roles?: Role[];
}

/** The actor of a request without identity. */
export function anonymousActor(policy: AnonymousPolicy): Actor {
  return {
    id: null,
    organisation: policy.organisation,
    groups: [],
    roles: policy.roles ?? (policy.canWrite ? ["read", "write"] : ["read"]),
  };
}

/** Whether an actor has a role: admin has every role, and any role grants read. */
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
