import type { SecretSpec } from "../secrets/secret-spec.js";

/** The secrets profile-deps reads: none of its own (callers' tokens use the shared AUTH_JWT_SECRET). */
export const profileDepsSecrets: readonly SecretSpec[] = [];
