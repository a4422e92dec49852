import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect, it } from "vitest";
import { awsClientConfig } from "#test-support";

const kms = new KMSClient(awsClientConfig());

it("encrypts and decrypts with a KMS key", async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "smoke" }));
  const plaintext = new TextEncoder().encode("a data key");
  const { CiphertextBlob } = await kms.send(
    new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: plaintext }),
  );
  expect(Buffer.from(CiphertextBlob!).equals(Buffer.from(plaintext))).toBe(false);
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob }));
  expect(new TextDecoder().decode(decrypted.Plaintext)).toBe("a data key");
  expect(decrypted.KeyId).toContain(KeyMetadata!.KeyId);
});
