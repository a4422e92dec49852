import { createDecipheriv, type Decipher } from "node:crypto";
import { RecorderError } from "../errors.js";
import { decodedLength, toBuffer } from "./bytes.js";
import { unpad } from "./legacy.js";
import { decryptV2Bytes, readV2Header } from "./v2.js";

/** Grows and reuses one scratch buffer for base64 decoding, so big batches do not churn the allocator. */
export function createScratch(): (size: number) => Buffer {
  let buffer = Buffer.alloc(0);
  return (size) => {
    if (buffer.length < size) buffer = Buffer.allocUnsafeSlow(Math.max(size, buffer.length * 2, 64 * 1024));
    return buffer;
  };
}

/**
 * Decrypts many bodies at once with the results `decryptOne` would give, cheaper: bodies are
 * base64-decoded into one reused buffer and every legacy body goes through a single AES-ECB
 * context (one key schedule per call, not per body), CBC's chaining then undone with an XOR per
 * block. v2 bodies are deciphered one by one (GCM authenticates each). Anything the fast path
 * cannot settle, failures included, goes through `decryptOne`, so errors are its errors.
 */
export function decryptMany(
  bodies: readonly string[],
  legacy: Uint8Array | undefined,
  keys: Readonly<Record<string, Uint8Array>>,
  decryptOne: (body: string) => string,
  scratch: (size: number) => Buffer = createScratch(),
): (string | RecorderError)[] {
  const slow = (body: string): string | RecorderError => {
    try {
      return decryptOne(body);
    } catch (error) {
      if (error instanceof RecorderError) return error;
      throw error;
    }
  };
  const legacyOk =
    legacy !== undefined && (legacy.length === 16 || legacy.length === 24 || legacy.length === 32);

  const offsets = new Int32Array(bodies.length).fill(-1);
  const lengths = new Int32Array(bodies.length);
  let cursor = 0;
  bodies.forEach((body, i) => {
    if (body.length === 0 || body.length % 4 !== 0) return;
    offsets[i] = cursor;
    lengths[i] = decodedLength(body);
    cursor += lengths[i]!;
  });
  const raw = scratch(cursor);
  bodies.forEach((body, i) => {
    if (offsets[i]! < 0) return;
    // Node skips characters outside the alphabet: a short write means the body is not canonical base64.
    if (raw.write(body, offsets[i]!, lengths[i]!, "base64") !== lengths[i]) offsets[i] = -1;
  });

  let ecb: Decipher | undefined;
  if (legacyOk) {
    ecb = createDecipheriv(`aes-${legacy!.length * 8}-ecb`, toBuffer(legacy!), null);
    ecb.setAutoPadding(false);
  }

  const results = bodies.map((body, i) => {
    const offset = offsets[i]!;
    if (offset < 0) return slow(body);
    const length = lengths[i]!;
    const bytes = raw.subarray(offset, offset + length);
    const header = readV2Header(bytes);
    const v2Key = header ? keys[header.keyId] : undefined;
    if (header && v2Key) {
      try {
        return decryptV2Bytes(bytes, header, v2Key);
      } catch {
        if (!ecb) return slow(body);
      }
    }
    if (!ecb || length < 32 || length % 16 !== 0) return slow(body);
    const plain = ecb.update(bytes);
    if (plain.length !== length) return slow(body);
    // CBC: P[j] = D(C[j]) XOR C[j-1], with C[-1] the IV (the body's first block).
    for (let j = 16; j < length; j++) plain[j]! ^= bytes[j - 16]!;
    try {
      return unpad(plain.subarray(16));
    } catch {
      return slow(body);
    }
  });
  ecb?.final();
  return results;
}
