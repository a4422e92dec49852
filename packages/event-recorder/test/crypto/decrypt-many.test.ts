import { createCipheriv, randomBytes } from "node:crypto";
import { createKeys, encryptLegacy, encryptV2, RecorderError } from "@portside/event-recorder";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const v2Key = randomBytes(32);

/** A producer padding to 128 characters with chr(n), as some do. */
function padded128(text: string, key: Buffer): string {
  const bytes = Buffer.from(text, "latin1");
  const count = 128 - (bytes.length % 128);
  const iv = randomBytes(16);
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  cipher.setAutoPadding(false);
  const data = Buffer.concat([bytes, Buffer.alloc(count, count)]);
  return Buffer.concat([iv, cipher.update(data), cipher.final()]).toString("base64");
}

const body = (legacyKey: Buffer) =>
  fc.oneof(
    fc.string({ unit: "binary" }).map((t) => encryptLegacy(t, legacyKey)),
    fc.string({ unit: "binary" }).map((t) => encryptV2(t, "k1", v2Key)),
    fc.string({ unit: "binary" }).map((t) => encryptV2(t, "unknown", randomBytes(32))),
    fc.string({ unit: "binary" }).map((t) => encryptLegacy(t, randomBytes(legacyKey.length))),
    fc.string({ maxLength: 200 }).map((t) => padded128(t.replace(/[^\x20-\x7e]/g, "x"), legacyKey)),
    fc.string({ unit: "binary" }).map((t) => encryptLegacy(t, legacyKey).replace(/(.{60})/g, "$1\n")),
    fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString("base64")),
    fc.string({ maxLength: 20 }),
    fc
      .string({ unit: "binary" })
      .map((t) =>
        encryptLegacy(t, legacyKey, Buffer.concat([Buffer.from([2, 2]), Buffer.from("k1"), randomBytes(12)])),
      ),
  );

const settle = (run: () => string): string | { code: string; message: string } => {
  try {
    return run();
  } catch (error) {
    return { code: (error as RecorderError).code, message: (error as Error).message };
  }
};
const shape = (r: string | RecorderError) =>
  r instanceof RecorderError ? { code: r.code, message: r.message } : r;

describe("decryptMany", () => {
  it.each([16, 24, 32])(
    "gives decrypt's answer for every body of a mixed batch (property, %i-byte legacy key)",
    (size) => {
      const legacyKey = randomBytes(size);
      const keys = createKeys(legacyKey, { k1: v2Key });
      fc.assert(
        fc.property(fc.array(body(legacyKey), { maxLength: 12 }), (bodies) => {
          const many = keys.decryptMany(bodies).map(shape);
          expect(many).toEqual(bodies.map((b) => settle(() => keys.decrypt(b))));
        }),
        { numRuns: 300 },
      );
    },
  );

  it("gives decrypt's answers without a legacy key", () => {
    const keys = createKeys(undefined, { k1: v2Key });
    fc.assert(
      fc.property(fc.array(body(randomBytes(16)), { maxLength: 8 }), (bodies) => {
        expect(keys.decryptMany(bodies).map(shape)).toEqual(bodies.map((b) => settle(() => keys.decrypt(b))));
      }),
      { numRuns: 200 },
    );
  });
});
