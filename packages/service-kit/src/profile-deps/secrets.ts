import { authJwtSecret } from "../auth/auth-jwt-secret.js";
import type { SecretSpec } from "../secrets/secret-spec.js";

/** The secrets profile-deps reads: the key of callers' tokens, shared with the recorder. */
export const profileDepsSecrets: readonly SecretSpec[] = [authJwtSecret];
