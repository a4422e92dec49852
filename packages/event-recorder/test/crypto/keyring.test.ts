import { randomBytes } from "node:crypto";
import {
  createKeyring,
  decryptV2,
  encryptLegacy,
  encryptV2,
  type KeyDecrypter,
  kmsEncryptedKey,
  objectEncryptedKey,
  rawKey,
} from "@portside/event-recorder";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe("v2 AES-256-GCM format", () => {
  it("starts with the version byte and the key id, and decrypts with the key it names", () => {
    const body = encryptV2("hello", "2026-01", k1);
    const raw = Buffer.from(body, "base64");
    expect(raw[0]).toBe(0x02);
    expect(raw.subarray(2, 2 + raw[1]!).toString()).toBe("2026-01");
    expect(decryptV2(body, { "2026-01": k1, "2026-02": k2 })).toBe("hello");
  });

  it("rejects a tampered body, a swapped key id and an unknown key id", () => {
    const raw = Buffer.from(encryptV2("hello", "a", k1), "base64");
    const flipped = Buffer.from(raw);
    flipped[flipped.length - 20]! ^= 1;
    expect(() => decryptV2(flipped.toString("base64"), { a: k1 })).toThrow(
      expect.objectContaining({ code: "UNDECRYPTABLE" }),
    );
    const swapped = Buffer.from(raw);
    swapped[2] = "b".charCodeAt(0);
    expect(() => decryptV2(swapped.toString("base64"), { a: k1, b: k1 })).toThrow(/does not authenticate/);
    expect(() => decryptV2(raw.toString("base64"), { z: k1 })).toThrow(/unknown key a/);
  });

  it("round-trips any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ minLength: 1, maxLength: 20 }), (text, id) => {
        expect(decryptV2(encryptV2(text, id, k1), { [id]: k1 })).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe("keyring", () => {
  it("decrypts both formats and encrypts v2 with the current key after a rotation", async () => {
    const legacy = randomBytes(16);
    const keys = await createKeyring({
      legacy: rawKey(legacy),
      keys: { old: rawKey(k1), new: rawKey(k2.toString("base64")) },
      currentKeyId: "new",
    }).resolve();
    expect(keys.decrypt(encryptLegacy("legacy", legacy))).toBe("legacy");
    expect(keys.decrypt(encryptV2("old", "old", k1))).toBe("old");
    const fresh = keys.encrypt("fresh");
    expect(decryptV2(fresh, { new: k2 })).toBe("fresh");
  });

  it("decrypts legacy bodies whose IV happens to look like a v2 header", async () => {
    const legacy = randomBytes(32);
    const keys = await createKeyring({ legacy: rawKey(legacy), keys: { a: rawKey(k1) } }).resolve();
    const iv = Buffer.concat([Buffer.from([0x02, 0x01]), Buffer.from("a"), randomBytes(13)]);
    expect(keys.decrypt(encryptLegacy("{}", legacy, iv))).toBe("{}");
  });

  it("fails with UNDECRYPTABLE when no key fits", async () => {
    const keys = await createKeyring({ keys: { a: rawKey(k1) } }).resolve();
    expect(() => keys.decrypt(encryptLegacy("x", randomBytes(16)))).toThrow(
      expect.objectContaining({ code: "UNDECRYPTABLE" }),
    );
  });

  it("decrypts an encrypted key once per process, sharing it between concurrent callers, retrying after a failure", async () => {
    let calls = 0;
    let fail = true;
    const decrypter: KeyDecrypter = {
      async decrypt(ciphertext) {
        calls++;
        if (fail) throw new Error("KMS throttled");
        return Buffer.from(ciphertext).reverse();
      },
    };
    const source = kmsEncryptedKey({ ciphertext: Buffer.from(k1).reverse().toString("base64"), decrypter });
    await expect(source()).rejects.toMatchObject({ code: "KEY_UNAVAILABLE" });
    fail = false;
    const [a, b] = await Promise.all([source(), source()]);
    await source();
    expect(Buffer.from(a)).toEqual(k1);
    expect(b).toBe(a);
    expect(calls).toBe(2);
  });

  it("reads an object holding a base64 ciphertext, trimming its trailing newline", async () => {
    const source = objectEncryptedKey({
      reader: { read: async () => Buffer.from(`${k2.toString("base64")}\n`) },
      decrypter: { decrypt: async (c) => c },
    });
    expect(Buffer.from(await source())).toEqual(k2);
  });

  it("refuses a keyring with no keys and a v2 key of the wrong size", async () => {
    await expect(createKeyring({}).resolve()).rejects.toMatchObject({ code: "KEY_UNAVAILABLE" });
    const keys = await createKeyring({ keys: { a: rawKey(randomBytes(16)) } }).resolve();
    expect(() => keys.encrypt("x")).toThrow(expect.objectContaining({ code: "KEY_UNAVAILABLE" }));
  });
});
