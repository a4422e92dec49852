import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { createSecretsManagerSecrets, SecretsManagerError } from "../../src/secrets/index.js";

const client = new SecretsManagerClient(awsClientConfig("secretsmanager"));

describe("Secrets Manager secrets", () => {
  it("reads the current value, and the previous one after a rotation", async () => {
    const prefix = `${uniqueName("portside")}/dev/`;
    await client.send(
      new CreateSecretCommand({ Name: `${prefix}spotify-client-secret`, SecretString: "first" }),
    );
    await client.send(
      new PutSecretValueCommand({ SecretId: `${prefix}spotify-client-secret`, SecretString: "second" }),
    );
    const secrets = createSecretsManagerSecrets({ client, prefix, ttlMs: 0 });
    expect(await secrets.get("spotify-client-secret")).toBe("second");
    expect(await secrets.getPrevious("spotify-client-secret")).toBe("first");
    expect(await secrets.get("absent")).toBeUndefined();
  });

  it("creates a secret on first put and rotates it on the next", async () => {
    const prefix = `${uniqueName("portside")}/dev/`;
    const secrets = createSecretsManagerSecrets({ client, prefix });
    await secrets.put("jwt-signing-keys", "v1");
    await secrets.put("jwt-signing-keys", "v2");
    expect(await secrets.get("jwt-signing-keys")).toBe("v2");
    expect(await secrets.getPrevious("jwt-signing-keys")).toBe("v1");
  });

  it("serves a value from its cache until the TTL passes", async () => {
    const prefix = `${uniqueName("portside")}/dev/`;
    let now = 0;
    const secrets = createSecretsManagerSecrets({ client, prefix, ttlMs: 1_000, now: () => now });
    await client.send(new CreateSecretCommand({ Name: `${prefix}token`, SecretString: "old" }));
    expect(await secrets.get("token")).toBe("old");
    await client.send(new PutSecretValueCommand({ SecretId: `${prefix}token`, SecretString: "new" }));
    expect(await secrets.get("token")).toBe("old");
    now = 1_001;
    expect(await secrets.get("token")).toBe("new");
  });

  it("maps a service failure to SecretsManagerError with the cause kept", async () => {
    const broken = new SecretsManagerClient({
      ...awsClientConfig("secretsmanager"),
      endpoint: "http://127.0.0.1:9",
      maxAttempts: 1,
    });
    const error = await createSecretsManagerSecrets({ client: broken })
      .get("x")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsManagerError);
    expect((error as SecretsManagerError).code).toBe("SECRETS_MANAGER_READ_FAILED");
    expect((error as Error).cause).toBeDefined();
  });
});
