import { RecorderError, RecorderErrorCode } from "../errors.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (whitespace and line breaks tolerated, as some producers wrap lines). */
export function fromBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new RecorderError(RecorderErrorCode.undecryptable, `${what} is not base64`);
  }
  return Buffer.from(compact, "base64");
}

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const utf8 = new TextDecoder("utf-8", { fatal: true });
