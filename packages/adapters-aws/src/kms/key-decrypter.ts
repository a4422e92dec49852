import { DecryptCommand, type KMSClient } from "@aws-sdk/client-kms";
import { KmsError, KmsErrorCode } from "./errors.js";

/** Options of `createKmsKeyDecrypter`. */
export interface KmsKeyDecrypterOptions {
  client: KMSClient;
  /** Key the ciphertext must have been encrypted under (recommended; required for asymmetric keys). */
  keyId?: string;
  /** Encryption context the ciphertext was bound to, if any. */
  encryptionContext?: Record<string, string>;
}

/** Structurally `@portside/event-recorder`'s `KeyDecrypter`: `decrypt(ciphertext) => plaintext`. */
export interface KmsKeyDecrypter {
  /** Decrypts a KMS ciphertext blob. */
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** `createKmsKeyDecrypter({ client })`: KMS `Decrypt` of a data key or secret; SDK errors become `KmsError`. */
export function createKmsKeyDecrypter(options: KmsKeyDecrypterOptions): KmsKeyDecrypter {
  const { client, keyId, encryptionContext } = options;
  return {
    async decrypt(ciphertext) {
      try {
        const { Plaintext } = await client.send(
          new DecryptCommand({
            CiphertextBlob: ciphertext,
            ...(keyId ? { KeyId: keyId } : {}),
            ...(encryptionContext ? { EncryptionContext: encryptionContext } : {}),
          }),
        );
        if (!Plaintext) throw new Error("KMS returned no plaintext");
        return Plaintext;
      } catch (error) {
        const awsCode = (error as { name?: string }).name;
        throw new KmsError(KmsErrorCode.decryptFailed, `KMS Decrypt failed: ${(error as Error).message}`, {
          ...(awsCode ? { awsCode } : {}),
          cause: error,
        });
      }
    },
  };
}
