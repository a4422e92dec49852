import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { UnauthenticatedError } from "../../src/errors.js";
import { jwtAuthenticator } from "../../src/http/jwt-authenticator.js";

const secret = new TextEncoder().encode("a-test-secret-of-at-least-thirty-two-bytes!");

async function request(claims: Record<string, unknown>, alg = "HS256"): Promise<Request> {
  const token = await new SignJWT(claims).setProtectedHeader({ alg }).setExpirationTime("5m").sign(secret);
  return new Request("http://registry.test/entity", { headers: { authorization: `Bearer ${token}` } });
}

describe("jwtAuthenticator", () => {
  const authenticate = jwtAuthenticator({ key: secret });

  it("turns a valid token into an actor", async () => {
    const actor = await authenticate(
      await request({ sub: "ada", org: "acme", roles: "write admin", groups: ["ops"] }),
    );
    expect(actor).toEqual({ id: "ada", organisation: "acme", groups: ["ops"], roles: ["write", "admin"] });
  });

  it("accepts only HS256 with a secret unless told otherwise", async () => {
    await expect(authenticate(await request({ sub: "ada", org: "acme" }, "HS512"))).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    const lenient = jwtAuthenticator({ key: secret, algorithms: ["HS512"] });
    expect((await lenient(await request({ sub: "ada", org: "acme" }, "HS512")))?.id).toBe("ada");
  });

  it("refuses claims of the wrong type, naming the claim", async () => {
    await expect(authenticate(await request({ sub: "ada", org: 42 }))).rejects.toThrow("'org' claim");
    await expect(
      authenticate(await request({ sub: "ada", org: "acme", roles: { admin: true } })),
    ).rejects.toThrow("'roles' claim");
    await expect(authenticate(await request({ org: "acme" }))).rejects.toThrow("'sub' claim");
  });

  it("falls back to the default organisation only when the claim is absent", async () => {
    const withDefault = jwtAuthenticator({ key: secret, defaultOrganisation: "public" });
    expect((await withDefault(await request({ sub: "ada" })))?.organisation).toBe("public");
    await expect(authenticate(await request({ sub: "ada" }))).rejects.toThrow("names no organisation");
  });
});
