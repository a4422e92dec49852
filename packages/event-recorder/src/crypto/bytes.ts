import { RecorderError, RecorderErrorCode } from "../errors.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodedLength(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Strict base64 (whitespace and line breaks tolerated, as some producers wrap lines). */
export function fromBase64(text: string, what: string): Buffer {
  // Fast path: Node skips characters outside the alphabet, so a canonical body decodes to exactly this length.
  if (text.length > 0 && text.length % 4 === 0) {
    const raw = Buffer.from(text, "base64");
    if (raw.length === decodedLength(text)) return raw;
  }
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

/** `update` then `final`, without a copy when `final` adds nothing (no padding, stream modes). */
export function finish(cipher: { update(data: Buffer): Buffer; final(): Buffer }, data: Buffer): Buffer {
  const head = cipher.update(data);
  const tail = cipher.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}
