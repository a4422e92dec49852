import { type CryptoKey, createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import { UnauthenticatedError } from "../errors.js";
import type { Actor, Role } from "../model/actor.js";

/** Options of `jwtAuthenticator`: the key, the expected issuer and audience, and which claims carry the actor. */
export interface JwtAuthenticatorOptions {
  /** An HMAC secret, a public key, a JWKS URL, or jose's key-getter. */
  key: Uint8Array | CryptoKey | URL | JWTVerifyGetKey;
  issuer?: string | string[];
  audience?: string | string[];
  /** Accepted `alg` values. Default: `HS256` for a secret; for a key or key set, the key's own. */
  algorithms?: string[];
  /** Claim holding the organisation; actors without one get `defaultOrganisation` or are refused. */
  organisationClaim?: string;
  groupsClaim?: string;
  rolesClaim?: string;
  defaultOrganisation?: string;
  /** Roles when the token has none. */
  defaultRoles?: Role[];
}

const ROLES: ReadonlySet<string> = new Set(["read", "write", "admin"]);

/** A claim listing names: a string split on spaces or commas, or an array of strings. */
const names = z
  .union([z.string().transform((v) => v.split(/[\s,]+/).filter(Boolean)), z.array(z.string())])
  .optional()
  .transform((v) => v ?? []);

function claims(options: JwtAuthenticatorOptions) {
  return z.object({
    sub: z.string().min(1),
    [options.organisationClaim ?? "org"]: z.string().min(1).optional(),
    [options.groupsClaim ?? "groups"]: names,
    [options.rolesClaim ?? "roles"]: names,
  });
}

/**
 * `authenticate(request)` for the HTTP handler: a `Bearer` JWT verified with jose becomes an actor
 * (`sub`, organisation, groups and roles from claims); no Authorization header gives null (anonymous);
 * a bad token is refused with 401.
 */
export function jwtAuthenticator(
  options: JwtAuthenticatorOptions,
): (request: Request) => Promise<Actor | null> {
  const key = options.key instanceof URL ? createRemoteJWKSet(options.key) : options.key;
  const algorithms = options.algorithms ?? (options.key instanceof Uint8Array ? ["HS256"] : undefined);
  const schema = claims(options);
  return async (request) => {
    const header = request.headers.get("authorization");
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthenticatedError("Authorization must be 'Bearer <jwt>'");
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(match[1]!, key as Parameters<typeof jwtVerify>[1], {
        ...(options.issuer && { issuer: options.issuer }),
        ...(options.audience && { audience: options.audience }),
        ...(algorithms && { algorithms }),
      });
      payload = verified.payload;
    } catch (error) {
      throw new UnauthenticatedError(`Invalid token: ${(error as Error).message}`, { cause: error });
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const claim = parsed.error.issues[0]?.path.join(".") || "sub";
      throw new UnauthenticatedError(`The token's '${claim}' claim is missing or not what it should be`);
    }
    const token = parsed.data as Record<string, unknown> & { sub: string };
    const organisation =
      (token[options.organisationClaim ?? "org"] as string | undefined) ?? options.defaultOrganisation;
    if (!organisation) throw new UnauthenticatedError("The token names no organisation");
    const roles = (token[options.rolesClaim ?? "roles"] as string[]).filter((r): r is Role => ROLES.has(r));
    return {
      id: token.sub,
      organisation,
      groups: token[options.groupsClaim ?? "groups"] as string[],
      roles: roles.length > 0 ? roles : (options.defaultRoles ?? ["read"]),
    };
  };
}
