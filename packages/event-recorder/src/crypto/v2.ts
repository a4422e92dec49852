import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { RecorderError, RecorderErrorCode } from "../errors.js";
import { finish, fromBase64, toBuffer, utf8 } from "./bytes.js";

/** First byte of a v2 message. */
export const V2_VERSION = 0x02;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * v2: `base64( 0x02 || keyIdLength (1 byte) || keyId (UTF-8) || IV (12) || AES-256-GCM ciphertext || tag (16) )`.
 * The header (version and key id) is authenticated as additional data, so a key id cannot be swapped.
 */
export interface V2Header {
  keyId: string;
  headerLength: number;
}

/** Reads the v2 header if the bytes can be one; `null` when they cannot. */
export function readV2Header(raw: Uint8Array): V2Header | null {
  if (raw.length < 2 || raw[0] !== V2_VERSION) return null;
  const idLength = raw[1]!;
  const headerLength = 2 + idLength;
  if (idLength === 0 || raw.length < headerLength + IV_BYTES + TAG_BYTES) return null;
  try {
    return { keyId: utf8.decode(raw.subarray(2, headerLength)), headerLength };
  } catch {
    return null;
  }
}

function checkKey(keyId: string, key: Uint8Array): void {
  if (key.length !== 32) {
    throw new RecorderError(
      RecorderErrorCode.keyUnavailable,
      `v2 key ${keyId} must have 32 bytes, it has ${key.length}`,
    );
  }
}

/** Encrypts a body in the v2 format: version byte, key id, AES-256-GCM. */
export function encryptV2(plaintext: string, keyId: string, key: Uint8Array): string {
  checkKey(keyId, key);
  const id = Buffer.from(keyId, "utf8");
  if (id.length < 1 || id.length > 255) {
    throw new RecorderError(RecorderErrorCode.invalidArgument, "A v2 key id has 1 to 255 UTF-8 bytes");
  }
  const header = Buffer.concat([Buffer.from([V2_VERSION, id.length]), id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", toBuffer(key), iv);
  cipher.setAAD(header);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([header, iv, data, cipher.getAuthTag()]).toString("base64");
}

export function decryptV2Bytes(raw: Buffer, header: V2Header, key: Uint8Array): string {
  checkKey(header.keyId, key);
  const aad = raw.subarray(0, header.headerLength);
  const iv = raw.subarray(header.headerLength, header.headerLength + IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const data = raw.subarray(header.headerLength + IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", toBuffer(key), iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return utf8.decode(finish(decipher, data));
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.undecryptable,
      `v2 message does not authenticate with key ${header.keyId}`,
      {
        cause: error,
      },
    );
  }
}

/** Decrypts a v2 message with the key its header names (`keys` by id). */
export function decryptV2(body: string, keys: Readonly<Record<string, Uint8Array>>): string {
  const raw = fromBase64(body, "v2 message");
  const header = readV2Header(raw);
  if (!header) throw new RecorderError(RecorderErrorCode.undecryptable, "Not a v2 message");
  const key = keys[header.keyId];
  if (!key)
    throw new RecorderError(RecorderErrorCode.undecryptable, `v2 message names unknown key ${header.keyId}`);
  return decryptV2Bytes(raw, header, key);
}
