import { type CryptoKey, createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { UnauthenticatedError } from "../errors.js";
import type { Actor, Role } from "../model/actor.js";

/** Options of `jwtAuthenticator`: the key, the expected issuer and audience, and which claims carry the actor. */
export interface JwtAuthenticatorOptions {
  /** An HMAC secret, a public key, a JWKS URL, or jose's key-getter. */
  key: Uint8Array | CryptoKey | URL | JWTVerifyGetKey;
  issuer?: string | string[];
  audience?: string | string[];
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

function strings(value: unknown): string[] {
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
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
        ...(options.algorithms && { algorithms: options.algorithms }),
      });
      payload = verified.payload;
    } catch (error) {
      throw new UnauthenticatedError(`Invalid token: ${(error as Error).message}`, { cause: error });
    }
    const organisation =
      (payload[options.organisationClaim ?? "org"] as string | undefined) ?? options.defaultOrganisation;
    if (!payload.sub || !organisation)
      throw new UnauthenticatedError("The token names no subject or organisation");
    const roles = strings(payload[options.rolesClaim ?? "roles"]).filter((r): r is Role => ROLES.has(r));
    return {
      id: payload.sub,
      organisation,
      groups: strings(payload[options.groupsClaim ?? "groups"]),
      roles: roles.length > 0 ? roles : (options.defaultRoles ?? ["read"]),
    };
  };
}
