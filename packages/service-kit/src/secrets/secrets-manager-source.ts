import type { SecretsProvider } from "../ports/secrets-provider.js";

/** Where a stage's secrets live in Secrets Manager: `portside/<stage>/<name>`. */
export const secretsManagerPrefix = (stage: string) => `portside/${stage}/`;

/**
 * AWS Secrets Manager as a secrets provider (`<prefix><name>`), loading its optional peers on
 * first use and naming them when they are not installed.
 */
export async function secretsManagerSecrets(prefix: string): Promise<SecretsProvider> {
  try {
    const [{ SecretsManagerClient }, { createSecretsManagerSecrets }] = await Promise.all([
      import("@aws-sdk/client-secrets-manager"),
      import("@portside/adapters-aws/secrets"),
    ]);
    return createSecretsManagerSecrets({ client: new SecretsManagerClient({}), prefix });
  } catch (error) {
    throw new Error(
      "Reading Secrets Manager needs @portside/adapters-aws and @aws-sdk/client-secrets-manager: npm install @portside/adapters-aws @aws-sdk/client-secrets-manager",
      { cause: error },
    );
  }
}
