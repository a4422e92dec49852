// vitest.config.ts aliases `@portside/x/y` only for [a-z-] subpaths, so `s3` is imported from source here.
import { randomBytes } from "node:crypto";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createKmsKeyDecrypter } from "@portside/adapters-aws/kms";
import { createKeyring, encryptV2, objectEncryptedKey } from "@portside/event-recorder";
import { beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig, uniqueName } from "#test-support";
import { createS3ObjectReader, S3Error } from "../../src/s3/index.js";

const config = awsClientConfig();
const s3 = new S3Client({ ...config, forcePathStyle: true });
const kms = new KMSClient(config);
const bucket = uniqueName("recorder-keys");

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe("S3 key object", () => {
  it("reads a base64 KMS ciphertext from S3 and decrypts it into a v2 key", async () => {
    const dataKey = randomBytes(32);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: dataKey }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "keys/k1",
        Body: `${Buffer.from(CiphertextBlob!).toString("base64")}\n`,
      }),
    );
    const source = objectEncryptedKey({
      reader: createS3ObjectReader({ client: s3, bucket, key: "keys/k1" }),
      decrypter: createKmsKeyDecrypter({ client: kms }),
    });
    const keys = await createKeyring({ keys: { k1: source } }).resolve();
    expect(keys.decrypt(encryptV2("hello", "k1", dataKey))).toBe("hello");
  });

  it("reports a missing object as S3_OBJECT_NOT_FOUND, and KEY_UNAVAILABLE through the keyring", async () => {
    const reader = createS3ObjectReader({ client: s3, bucket, key: "missing" });
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({ code: "S3_OBJECT_NOT_FOUND", bucket, key: "missing" });
    const source = objectEncryptedKey({ reader, decrypter: createKmsKeyDecrypter({ client: kms }) });
    await expect(createKeyring({ legacy: source }).resolve()).rejects.toMatchObject({
      code: "KEY_UNAVAILABLE",
    });
  });
});
