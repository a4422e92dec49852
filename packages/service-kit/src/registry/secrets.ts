import { randomSecret } from "../secrets/random-secret.js";
import type { SecretSpec } from "../secrets/secret-spec.js";

/** The secrets the registry reads. */
export const registrySecrets: readonly SecretSpec[] = [
  {
    name: "registry-jwt-secret",
    envName: "REGISTRY_JWT_SECRET",
    kind: "generated",
    description: "HS256 secret the registry verifies tokens with (when no JWKS is configured)",
    generate: randomSecret(48),
  },
];
