import type { SecretsProvider } from "../ports/secrets-provider.js";

/** The first provider that holds a secret answers; writes go to the first that can store. */
export function createChainedSecrets(providers: readonly SecretsProvider[]): SecretsProvider {
  const writable = providers.find((p) => p.put);
  const first = async (read: (p: SecretsProvider) => Promise<string | undefined> | undefined) => {
    for (const provider of providers) {
      const value = await read(provider);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return {
    description: providers.map((p) => p.description).join(" > "),
    get: (name) => first((p) => p.get(name)),
    getPrevious: (name) => first((p) => p.getPrevious?.(name)),
    ...(writable?.put ? { put: writable.put.bind(writable) } : {}),
  };
}
