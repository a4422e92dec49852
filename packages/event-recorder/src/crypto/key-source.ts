import { RecorderError, RecorderErrorCode } from "../errors.js";
import { fromBase64, toBuffer } from "./bytes.js";

/** Yields key bytes. Sources built here fetch once per process and cache the result (not a failure). */
export type KeySource = () => Promise<Uint8Array>;

/** Port: decrypts a data key, e.g. KMS `Decrypt` (`createKmsKeyDecrypter` in `@portside/adapters-aws/kms`). */
export interface KeyDecrypter {
  /** Decrypts an encrypted key (with KMS, say). */
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** Port: reads one stored object, e.g. an S3 object (`createS3ObjectReader` in `@portside/adapters-aws/s3`). */
export interface ObjectReader {
  /** Reads the object's bytes (an S3 object, say). */
  read(): Promise<Uint8Array>;
}

function keyError(what: string, error: unknown): RecorderError {
  if (error instanceof RecorderError) return error;
  return new RecorderError(RecorderErrorCode.keyUnavailable, `${what}: ${(error as Error).message}`, {
    cause: error,
  });
}

/** Memoises a source: one fetch per process shared by concurrent callers; a failure is retried next call. */
export function cachedKeySource(load: KeySource): KeySource {
  let pending: Promise<Uint8Array> | null = null;
  return () => {
    if (!pending) {
      pending = load().catch((error: unknown) => {
        pending = null;
        throw error;
      });
    }
    return pending;
  };
}

/** A key given directly (bytes, or base64 text): for local use and tests. */
export function rawKey(key: Uint8Array | string): KeySource {
  const bytes = typeof key === "string" ? decodeKeyText(key, "Raw key") : toBuffer(key);
  return async () => bytes;
}

function decodeKeyText(text: string, what: string): Buffer {
  try {
    return fromBase64(text.trim(), what);
  } catch (error) {
    throw new RecorderError(RecorderErrorCode.keyUnavailable, `${what} is not base64`, { cause: error });
  }
}

/** A key held as a base64 KMS ciphertext (say, an env var): decrypted once per process. */
export function kmsEncryptedKey(options: { ciphertext: string; decrypter: KeyDecrypter }): KeySource {
  return cachedKeySource(async () => {
    const blob = decodeKeyText(options.ciphertext, "Encrypted key");
    try {
      return await options.decrypter.decrypt(blob);
    } catch (error) {
      throw keyError("Could not decrypt the key", error);
    }
  });
}

/** A key held as a base64 KMS ciphertext in a stored object (an S3 bucket and key): fetched and decrypted once. */
export function objectEncryptedKey(options: { reader: ObjectReader; decrypter: KeyDecrypter }): KeySource {
  return cachedKeySource(async () => {
    let text: string;
    try {
      text = Buffer.from(await options.reader.read()).toString("utf8");
    } catch (error) {
      throw keyError("Could not read the key object", error);
    }
    try {
      return await options.decrypter.decrypt(decodeKeyText(text, "Key object"));
    } catch (error) {
      throw keyError("Could not decrypt the key object", error);
    }
  });
}
