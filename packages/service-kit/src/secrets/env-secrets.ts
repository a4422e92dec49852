import type { SecretsProvider } from "../ports/secrets-provider.js";

/** `jwt-signing-key` is read from `JWT_SIGNING_KEY`. */
export function secretEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** Secrets from environment variables (a deployment that injects them, CI). */
export function createEnvSecrets(env: Record<string, string | undefined> = process.env): SecretsProvider {
  return {
    description: "environment",
    get: async (name) => {
      const value = env[secretEnvName(name)];
      return value === undefined || value === "" ? undefined : value;
    },
  };
}
