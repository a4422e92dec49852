import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DjRoomError } from "../errors.js";

/** Encrypts tokens at rest. Implementations: AES-GCM here, KMS in an AWS adapter. */
export interface TokenCipher {
  /** Encrypts a host's tokens for storage. */
  encrypt(plaintext: string): Promise<string>;
  /** Decrypts a host's stored tokens. */
  decrypt(ciphertext: string): Promise<string>;
}

const VERSION = "v1";

/**
 * AES-256-GCM with a random 96-bit nonce per message; the output is
 * `v1.<nonce>.<ciphertext>.<tag>` in base64url. `aad` binds ciphertexts to a context.
 */
export function createAesGcmTokenCipher(key: Uint8Array, options: { aad?: string } = {}): TokenCipher {
  if (key.length !== 32)
    throw new DjRoomError("VALIDATION_FAILED", "The token key must be 32 bytes (AES-256)");
  const keyBytes = Buffer.from(key);
  const aad = options.aad === undefined ? undefined : Buffer.from(options.aad, "utf8");
  return {
    async encrypt(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", keyBytes, nonce);
      if (aad) cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [nonce, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
      return [VERSION, ...parts].join(".");
    },
    async decrypt(ciphertext) {
      const [version, nonce, body, tag] = ciphertext.split(".");
      if (version !== VERSION || !nonce || body === undefined || !tag) {
        throw new DjRoomError("VALIDATION_FAILED", "Not a token ciphertext");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", keyBytes, Buffer.from(nonce, "base64url"));
        if (aad) decipher.setAAD(aad);
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
          "utf8",
        );
      } catch (error) {
        throw new DjRoomError("VALIDATION_FAILED", "The token ciphertext failed authentication", {
          cause: error,
        });
      }
    },
  };
}
