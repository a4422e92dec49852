import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { finish, fromBase64, toBuffer, utf8 } from "./bytes.js";

const IV_BYTES = 16;
const BLOCK = 16;

function cipherName(key: Uint8Array): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RecorderError(
      RecorderErrorCode.keyUnavailable,
      `An AES key has 16, 24 or 32 bytes, this one ${key.length}`,
    );
  }
  return `aes-${key.length * 8}-cbc`;
}

/**
 * Strips the padding the way the consumer we replace does: as many characters as the last
 * character's code. That covers PKCS#7 (16 bytes) and producers padding to 128 characters with
 * `chr(n)`. Where the plaintext is not valid UTF-8 as a whole (a pad byte of 0x80 written as a
 * single byte), the same rule is applied to bytes before decoding.
 */
export function unpad(padded: Buffer): string {
  let text: string | null = null;
  try {
    text = utf8.decode(padded);
  } catch {}
  if (text !== null) {
    const count = text.charCodeAt(text.length - 1);
    if (count < 1 || count > text.length) {
      throw new RecorderError(
        RecorderErrorCode.undecryptable,
        "Legacy message padding is invalid (wrong key?)",
      );
    }
    return text.slice(0, text.length - count);
  }
  const count = padded[padded.length - 1]!;
  if (count < 1 || count > padded.length) {
    throw new RecorderError(
      RecorderErrorCode.undecryptable,
      "Legacy message padding is invalid (wrong key?)",
    );
  }
  try {
    return utf8.decode(padded.subarray(0, padded.length - count));
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.undecryptable,
      "Legacy message is not UTF-8 once decrypted (wrong key?)",
      {
        cause: error,
      },
    );
  }
}

/** Decrypts `base64(IV (16 bytes) || AES-CBC(key, padded UTF-8 JSON))` and returns the plaintext. */
export function decryptLegacy(body: string, key: Uint8Array): string {
  return decryptLegacyBytes(fromBase64(body, "Legacy message"), key);
}

/** `decryptLegacy` of a body already base64-decoded. */
export function decryptLegacyBytes(raw: Buffer, key: Uint8Array): string {
  const algorithm = cipherName(key);
  if (raw.length < IV_BYTES + BLOCK || (raw.length - IV_BYTES) % BLOCK !== 0) {
    throw new RecorderError(
      RecorderErrorCode.undecryptable,
      `Legacy message has ${raw.length} bytes: expected a 16-byte IV and whole 16-byte blocks`,
    );
  }
  const decipher = createDecipheriv(algorithm, toBuffer(key), raw.subarray(0, IV_BYTES));
  decipher.setAutoPadding(false);
  const padded = finish(decipher, raw.subarray(IV_BYTES));
  return unpad(padded);
}

/** Encrypts as today's producers do (PKCS#7 padding, random IV unless given), for producers built on the SDK. */
export function encryptLegacy(plaintext: string, key: Uint8Array, iv?: Uint8Array): string {
  const algorithm = cipherName(key);
  const vector = iv ? toBuffer(iv) : randomBytes(IV_BYTES);
  if (vector.length !== IV_BYTES) {
    throw new RecorderError(RecorderErrorCode.invalidArgument, `The IV must have ${IV_BYTES} bytes`);
  }
  const cipher = createCipheriv(algorithm, toBuffer(key), vector);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([vector, data]).toString("base64");
}
