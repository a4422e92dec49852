import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { SecretsManagerError, SecretsManagerErrorCode } from "./errors.js";

/** Options of `createSecretsManagerSecrets`: the client, a name prefix and how long values are cached. */
export interface SecretsManagerSecretsOptions {
  client: SecretsManagerClient;
  /** Prepended to every secret name: `portside/prod/` reads `portside/prod/spotify-client-id`. */
  prefix?: string;
  /** How long a value read is reused. Default 5 minutes; 0 disables the cache. */
  ttlMs?: number;
  /** The clock, in epoch milliseconds (for the cache). */
  now?: () => number;
}

/** Structurally `@portside/service-kit`'s `SecretsProvider`. */
export interface SecretsManagerSecrets {
  readonly description: string;
  /** A secret's current value, or undefined. */
  get(name: string): Promise<string | undefined>;
  /** A secret's previous value (during rotation), or undefined. */
  getPrevious(name: string): Promise<string | undefined>;
  /** Stores a secret's new value. */
  put(name: string, value: string): Promise<void>;
}

type Stage = "AWSCURRENT" | "AWSPREVIOUS";
const isMissing = (error: unknown) => (error as { name?: string }).name === "ResourceNotFoundException";

/**
 * Secrets from AWS Secrets Manager, by version stage: `get` reads `AWSCURRENT`, `getPrevious`
 * `AWSPREVIOUS` (so a rotated credential can still be verified), each cached for `ttlMs`.
 * `put` stores a new version (the old one becomes `AWSPREVIOUS`), creating the secret if needed.
 */
export function createSecretsManagerSecrets(options: SecretsManagerSecretsOptions): SecretsManagerSecrets {
  const { client, prefix = "", ttlMs = 300_000, now = Date.now } = options;
  const cache = new Map<string, { value: string | undefined; expires: number }>();

  async function read(name: string, stage: Stage): Promise<string | undefined> {
    const secretId = `${prefix}${name}`;
    const key = `${stage}\u0000${secretId}`;
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.value;
    let value: string | undefined;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
      if (out.SecretString === undefined) {
        throw new SecretsManagerError(
          SecretsManagerErrorCode.binarySecret,
          `${secretId} holds binary data, not a string`,
          {
            secretId,
          },
        );
      }
      value = out.SecretString;
    } catch (error) {
      if (error instanceof SecretsManagerError) throw error;
      if (!isMissing(error)) {
        throw new SecretsManagerError(
          SecretsManagerErrorCode.readFailed,
          `Could not read secret ${secretId}`,
          {
            secretId,
            cause: error,
          },
        );
      }
    }
    if (ttlMs > 0) cache.set(key, { value, expires: now() + ttlMs });
    return value;
  }

  return {
    description: `AWS Secrets Manager (${prefix || "no prefix"})`,
    get: (name) => read(name, "AWSCURRENT"),
    getPrevious: (name) => read(name, "AWSPREVIOUS"),
    async put(name, value) {
      const secretId = `${prefix}${name}`;
      try {
        try {
          await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
        } catch (error) {
          if (!isMissing(error)) throw error;
          await client.send(new CreateSecretCommand({ Name: secretId, SecretString: value }));
        }
      } catch (error) {
        throw new SecretsManagerError(
          SecretsManagerErrorCode.writeFailed,
          `Could not store secret ${secretId}`,
          {
            secretId,
            cause: error,
          },
        );
      }
      for (const stage of ["AWSCURRENT", "AWSPREVIOUS"]) cache.delete(`${stage}\u0000${secretId}`);
    },
  };
}
