import { authJwtSecret } from "../auth/auth-jwt-secret.js";
import type { SecretSpec } from "../secrets/secret-spec.js";

/** The secrets the event recorder reads. */
export const eventRecorderSecrets: readonly SecretSpec[] = [
  {
    name: "event-recorder-database-url",
    envName: "DB_CONNECTION_STRING",
    kind: "third-party",
    description: "PostgreSQL connection string of the audit database",
  },
  authJwtSecret,
];
