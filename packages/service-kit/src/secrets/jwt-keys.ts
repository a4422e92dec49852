import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import type { SecretsProvider } from "../ports/secrets-provider.js";

/** The secret holding the signing key set: the current private key first, then the previous one. */
export const jwtKeySetSecret = "jwt-signing-keys";
/** The algorithm the services' JWT keys use. */
export const jwtAlgorithm = "ES256";

/** The services' JWT signing keys, each with its key id. */
export interface JwtKeySet {
  readonly keys: readonly (JWK & { kid: string; alg: string })[];
}

function parseKeySet(text: string | undefined): JwtKeySet {
  if (text === undefined) return { keys: [] };
  try {
    const parsed = JSON.parse(text) as JwtKeySet;
    if (!Array.isArray(parsed.keys)) throw new TypeError("no keys array");
    return parsed;
  } catch (error) {
    throw new ServiceKitError(
      ServiceKitErrorCode.secretsUnavailable,
      `Secret ${jwtKeySetSecret} is not a key set`,
      {
        cause: error,
      },
    );
  }
}

/** The public half of a key set, as a JWKS document verifiers (jose's createLocalJWKSet) accept. */
export function publicJwks(keySet: JwtKeySet): { keys: JWK[] } {
  return {
    keys: keySet.keys.map(({ d: _d, ...publicKey }) => ({ ...publicKey, use: "sig" })),
  };
}

/** Reads the JWT key set from the secrets. */
export async function readJwtKeySet(provider: SecretsProvider): Promise<JwtKeySet> {
  return parseKeySet(await provider.get(jwtKeySetSecret));
}

/**
 * Adds a new current signing key and keeps the one it replaces, so tokens signed before the
 * rotation verify until the next rotation retires it.
 */
export async function rotateJwtKeys(
  provider: SecretsProvider,
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<{ current: string; previous?: string; retired: string[]; jwks: { keys: JWK[] } }> {
  const existing = await readJwtKeySet(provider);
  const { privateKey } = await generateKeyPair(jwtAlgorithm, { extractable: true });
  const kid = `${(options.now ?? new Date()).toISOString().slice(0, 10)}-${randomBytes(4).toString("hex")}`;
  const fresh = { ...(await exportJWK(privateKey)), kid, alg: jwtAlgorithm };
  const next: JwtKeySet = { keys: [fresh, ...existing.keys.slice(0, 1)] };
  const result = {
    current: kid,
    ...(existing.keys[0] ? { previous: existing.keys[0].kid } : {}),
    retired: existing.keys.slice(1).map((k) => k.kid),
    jwks: publicJwks(next),
  };
  if (options.dryRun) return result;
  if (!provider.put) throw new TypeError(`${provider.description} cannot store secrets`);
  await provider.put(jwtKeySetSecret, JSON.stringify(next));
  return result;
}
