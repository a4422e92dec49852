import { randomSecret } from "../secrets/random-secret.js";
import type { SecretSpec } from "../secrets/secret-spec.js";

/** `AUTH_JWT_SECRET`, which the recorder and profile-deps both verify callers' tokens with. */
export const authJwtSecret: SecretSpec = {
  name: "auth-jwt-secret",
  envName: "AUTH_JWT_SECRET",
  kind: "generated",
  description: "HS256 secret that signs callers' tokens for the recorder and profile-deps",
  generate: randomSecret(48),
};
