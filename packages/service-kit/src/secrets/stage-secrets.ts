import type { SecretsProvider } from "../ports/secrets-provider.js";
import { createFileSecrets, localSecretsDir } from "./file-secrets.js";
import { secretsManagerPrefix, secretsManagerSecrets } from "./secrets-manager-source.js";

/**
 * Where a running service reads the secrets its environment does not set: on AWS Lambda,
 * Secrets Manager's `portside/<stage>/<name>` (what `portside setup` creates); elsewhere the
 * files `portside secrets ensure --stage <stage>` writes. The stage is `DYNAMODB_TABLES_USERID`,
 * or `dev` when unset.
 */
export async function stageSecrets(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SecretsProvider> {
  const stage = env.DYNAMODB_TABLES_USERID?.trim() || "dev";
  if (env.AWS_LAMBDA_FUNCTION_NAME) return secretsManagerSecrets(secretsManagerPrefix(stage));
  return createFileSecrets({ dir: localSecretsDir(stage, { ...env }) });
}
