import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from "jose";
import { type TokenClaims, tokenClaimsSchema } from "./token-claims.js";

export interface JwtVerifierOptions {
  /** Shared HMAC secret: tokens must be HS256. */
  secret?: string;
  /** JWKS URL: each token must use the algorithm its key declares (`alg` on the JWK). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export type JwtVerifier = (token: string) => Promise<TokenClaims>;

/**
 * Resolves a JWKS key and insists the key itself names the token's algorithm, so a key published
 * for RS256 cannot be used with any other algorithm and a key without `alg` is never used.
 */
export function pinnedJwks(url: URL): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(url);
  return async (header, token) => {
    const key = await jwks(header, token);
    const declared = jwks
      .jwks()
      ?.keys.some((k) => k.alg === header.alg && (header.kid === undefined || k.kid === header.kid));
    if (!declared) throw new Error(`No key of the set declares the token's algorithm ${header.alg}`);
    return key;
  };
}

/** Verifies a JWT with jose, the algorithm pinned, and parses its claims with zod. */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const common = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
  if (options.jwksUrl) {
    const getKey = pinnedJwks(new URL(options.jwksUrl));
    return async (token) => tokenClaimsSchema.parse((await jwtVerify(token, getKey, common)).payload);
  }
  if (!options.secret) throw new Error("A JWT verifier needs a secret or a JWKS URL");
  const key = new TextEncoder().encode(options.secret);
  return async (token) =>
    tokenClaimsSchema.parse((await jwtVerify(token, key, { ...common, algorithms: ["HS256"] })).payload);
}
