import { randomBytes } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { createKmsKeyDecrypter, KmsError } from "@portside/adapters-aws/kms";
import { createKeyring, encryptLegacy, kmsEncryptedKey } from "@portside/event-recorder";
import { kmsEncryptedPassword } from "@portside/event-recorder/pg";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig } from "#test-support";

const client = new KMSClient(awsClientConfig());
let keyId = "";
beforeAll(async () => {
  const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: "event-recorder tests" }));
  keyId = KeyMetadata!.KeyId!;
});

async function kmsEncrypt(plaintext: Uint8Array): Promise<string> {
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
  return Buffer.from(CiphertextBlob!).toString("base64");
}

describe("KMS key decrypter", () => {
  it("decrypts a data key held as a base64 KMS ciphertext in an env var, and the keyring uses it", async () => {
    const dataKey = randomBytes(32);
    const ciphertext = await kmsEncrypt(dataKey);
    let calls = 0;
    const decrypter = createKmsKeyDecrypter({ client, keyId });
    const counting = {
      decrypt: (c: Uint8Array) => {
        calls++;
        return decrypter.decrypt(c);
      },
    };
    const source = kmsEncryptedKey({ ciphertext, decrypter: counting });
    const keys = await createKeyring({ legacy: source }).resolve();
    expect(keys.decrypt(encryptLegacy('{"ok":true}', dataKey))).toBe('{"ok":true}');
    await source();
    expect(calls).toBe(1);
  });

  it("decrypts ENCRYPTED_DATABASE_PASSWORD into a password provider", async () => {
    const provider = kmsEncryptedPassword({
      ciphertext: await kmsEncrypt(Buffer.from("s3cret password")),
      decrypter: createKmsKeyDecrypter({ client }),
    });
    expect(await provider()).toBe("s3cret password");
  });

  it("maps a refused decrypt to KmsError, never an SDK error", async () => {
    const error = await createKmsKeyDecrypter({ client })
      .decrypt(randomBytes(64))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsError);
    expect(error).toMatchObject({ code: "KMS_DECRYPT_FAILED", awsCode: expect.any(String) });
  });

  it("reports an unusable key source as KEY_UNAVAILABLE through the keyring", async () => {
    const source = kmsEncryptedKey({
      ciphertext: randomBytes(64).toString("base64"),
      decrypter: createKmsKeyDecrypter({ client }),
    });
    await expect(createKeyring({ legacy: source }).resolve()).rejects.toMatchObject({
      code: "KEY_UNAVAILABLE",
    });
  });
});
