import { randomBytes } from "node:crypto";
import { createAesGcmTokenCipher, createOAuthStateBinder } from "@portside/dj-room/spotify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("AES-GCM token cipher", () => {
  const key = randomBytes(32);

  it("round-trips any text, with a fresh nonce each time", async () => {
    const cipher = createAesGcmTokenCipher(key);
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        expect(await cipher.decrypt(await cipher.encrypt(text))).toBe(text);
      }),
    );
    expect(await cipher.encrypt("same")).not.toBe(await cipher.encrypt("same"));
  });

  it("refuses altered ciphertext, another key and another context", async () => {
    const cipher = createAesGcmTokenCipher(key, { aad: "spotify-tokens" });
    const sealed = await cipher.encrypt("secret refresh token");
    const [v, nonce, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    await expect(
      cipher.decrypt([v, nonce, flipped.toString("base64url"), tag].join(".")),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(
      createAesGcmTokenCipher(randomBytes(32), { aad: "spotify-tokens" }).decrypt(sealed),
    ).rejects.toThrow(/authentication/);
    await expect(createAesGcmTokenCipher(key, { aad: "other" }).decrypt(sealed)).rejects.toThrow(
      /authentication/,
    );
    await expect(cipher.decrypt("plain text")).rejects.toThrow(/Not a token ciphertext/);
    expect(() => createAesGcmTokenCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("OAuth state bound to the host's session", () => {
  const secret = "oauth-state-secret-oauth-state-secret";

  it("accepts the callback with the session's nonce for the same host", async () => {
    const binder = createOAuthStateBinder({ secret });
    const { state, nonce } = await binder.issue("host-1");
    expect(await binder.verify(state, nonce, "host-1")).toEqual({ hostId: "host-1" });
  });

  it("refuses another session, another host, a forged or an expired state", async () => {
    let now = 1_000_000;
    const binder = createOAuthStateBinder({ secret, ttlSeconds: 60, now: () => now });
    const { state, nonce } = await binder.issue("host-1");
    await expect(binder.verify(state, "another-session", "host-1")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(binder.verify(state, undefined)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(binder.verify(state, nonce, "host-2")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const forged = await createOAuthStateBinder({ secret: `${secret}-x` }).issue("host-1");
    await expect(binder.verify(forged.state, forged.nonce)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(binder.verify("host-1", nonce)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    now += 61_000;
    await expect(binder.verify(state, nonce, "host-1")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
