import { createSessionTokens } from "@portside/dj-room";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";

const secret = "a-test-secret-that-is-long-enough-000";

describe("session tokens", () => {
  it("round-trips room, guest, role and expiry", async () => {
    const tokens = createSessionTokens({ secret, ttlSeconds: 60, now: () => 1_000_000 });
    const { token, expiresAt } = await tokens.issue({ roomId: "r1", guestId: "g1", role: "guest" });
    expect(expiresAt).toBe(1_060_000);
    expect(await tokens.verify(token)).toEqual({ roomId: "r1", guestId: "g1", role: "guest", expiresAt });
  });

  it("rejects an expired token", async () => {
    let now = 0;
    const tokens = createSessionTokens({ secret, ttlSeconds: 60, now: () => now });
    const { token } = await tokens.issue({ roomId: "r1", guestId: "g1", role: "host" });
    now = 61_000;
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: /expired/ });
  });

  it("rejects a token signed with another key or with a changed role", async () => {
    const tokens = createSessionTokens({ secret });
    const other = createSessionTokens({ secret: `${secret}-other` });
    const { token } = await other.issue({ roomId: "r1", guestId: "g1", role: "guest" });
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const [header, payload, signature] = (
      await tokens.issue({ roomId: "r", guestId: "g", role: "guest" })
    ).token.split(".");
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString());
    forged.role = "host";
    const tampered = [header, Buffer.from(JSON.stringify(forged)).toString("base64url"), signature].join(".");
    await expect(tokens.verify(tampered)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects a well-signed token without our claims", async () => {
    const tokens = createSessionTokens({ secret });
    const bare = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("portside-dj-room")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(secret));
    await expect(tokens.verify(bare)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a short secret", () => {
    expect(() => createSessionTokens({ secret: "short" })).toThrow(/32 bytes/);
  });
});
