import { createCipheriv, randomBytes } from "node:crypto";
import { decryptLegacy, encryptLegacy, parseEvent, RecorderError } from "@portside/event-recorder";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Encrypts as a producer padding to `block` characters with chr(n) would, without automatic padding. */
function producerEncrypt(
  plaintext: Buffer,
  key: Buffer,
  padByte: (count: number) => Buffer,
  block: number,
): string {
  const count = block - (plaintext.length % block);
  const padded = Buffer.concat([plaintext, padByte(count)]);
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
}

describe("legacy AES-CBC format", () => {
  it.each([16, 24, 32])("round-trips with a %i-byte key", (size) => {
    const key = randomBytes(size);
    const body = encryptLegacy('{"eventId":"é-ü-日本"}', key);
    expect(decryptLegacy(body, key)).toBe('{"eventId":"é-ü-日本"}');
  });

  it("is base64 of a 16-byte IV followed by whole blocks, the IV used as given", () => {
    const key = randomBytes(16);
    const iv = Buffer.alloc(16, 9);
    const raw = Buffer.from(encryptLegacy("x".repeat(20), key, iv), "base64");
    expect(raw.subarray(0, 16)).toEqual(iv);
    expect(raw.length).toBe(16 + 32);
  });

  it("decrypts producers that pad to a multiple of 128 characters with chr(n)", () => {
    const key = randomBytes(32);
    for (const length of [0, 1, 100, 127, 128, 200]) {
      const plaintext = JSON.stringify({ p: "a".repeat(length) });
      const body = producerEncrypt(
        Buffer.from(plaintext),
        key,
        (n) => Buffer.from(String.fromCharCode(n).repeat(n), "latin1"),
        128,
      );
      expect(decryptLegacy(body, key)).toBe(plaintext);
    }
  });

  it("decrypts a full 128-character pad written as UTF-8 (chr(128) is two bytes)", () => {
    const key = randomBytes(16);
    const plaintext = '{"a":"' + "b".repeat(120) + '"}'; // 128 characters: a whole pad block follows
    const padded = Buffer.from(plaintext + String.fromCharCode(128).repeat(128), "utf8");
    const iv = randomBytes(16);
    const cipher = createCipheriv("aes-128-cbc", key, iv);
    cipher.setAutoPadding(false);
    const body = Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
    expect(decryptLegacy(body, key)).toBe(plaintext);
  });

  it("round-trips any text with any key size (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.constantFrom(16, 24, 32), (text, size) => {
        const key = randomBytes(size);
        expect(decryptLegacy(encryptLegacy(text, key), key)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses bodies that are not base64 or not whole blocks, and keys of the wrong size", () => {
    const key = randomBytes(16);
    expect(() => decryptLegacy("not base64!", key)).toThrow(
      expect.objectContaining({ code: "UNDECRYPTABLE" }),
    );
    expect(() => decryptLegacy(Buffer.alloc(40).toString("base64"), key)).toThrow(
      expect.objectContaining({ code: "UNDECRYPTABLE" }),
    );
    expect(() => encryptLegacy("x", randomBytes(20))).toThrow(
      expect.objectContaining({ code: "KEY_UNAVAILABLE" }),
    );
  });

  it("fails with UNDECRYPTABLE for most wrong keys, and never yields an event", () => {
    const body = encryptLegacy(JSON.stringify({ eventId: "e" }), randomBytes(16));
    let undecryptable = 0;
    for (let i = 0; i < 50; i++) {
      try {
        // Rarely, garbage survives unpadding (a lone digit, say): it is still never an event.
        const text = decryptLegacy(body, randomBytes(16));
        expect(() => parseEvent(text)).toThrow(RecorderError);
      } catch (error) {
        expect(error).toBeInstanceOf(RecorderError);
        undecryptable++;
      }
    }
    expect(undecryptable).toBeGreaterThan(40);
  });
});
