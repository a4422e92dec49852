import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServiceAuth } from "@portside/service-kit";
import { exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { bearer, TEST_AUTH_SECRET } from "./support/bearer.js";

const secret = new TextEncoder().encode(TEST_AUTH_SECRET);
const withToken = (authorization: string) => new Request("http://t/x", { headers: { authorization } });
const sign = (claims: Record<string, unknown>, alg = "HS256") =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject("sam").setExpirationTime("5m").sign(secret);

describe("service authentication with a shared secret", () => {
  const auth = createServiceAuth(loadConfig({ AUTH_JWT_SECRET: TEST_AUTH_SECRET }), {
    service: "test",
    embedded: true,
    demoRoles: ["admin"],
  });

  it("turns an HS256 token into an actor with its roles", async () => {
    expect(await auth.authenticate(withToken(await bearer(["admin", "writer"], "ada")))).toEqual({
      id: "ada",
      roles: ["admin", "writer"],
    });
    expect(await auth.authenticate(withToken(`Bearer ${await sign({ roles: "writer reader" })}`))).toEqual({
      id: "sam",
      roles: ["writer", "reader"],
    });
  });

  it("refuses a token signed with another HMAC algorithm than HS256, even with the right secret", async () => {
    expect(
      await auth.authenticate(withToken(`Bearer ${await sign({ roles: ["admin"] }, "HS512")}`)),
    ).toBeNull();
  });

  it("refuses claims of the wrong type, a missing subject, a wrong secret and no token at all", async () => {
    expect(await auth.authenticate(withToken(`Bearer ${await sign({ org: 42 })}`))).toBeNull();
    expect(await auth.authenticate(withToken(`Bearer ${await sign({ roles: [1, 2] })}`))).toBeNull();
    const anonymousToken = await new SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .sign(secret);
    expect(await auth.authenticate(withToken(`Bearer ${anonymousToken}`))).toBeNull();
    expect(
      await auth.authenticate(withToken(await bearer(["admin"], "x", `${TEST_AUTH_SECRET}-other`))),
    ).toBeNull();
    expect(await auth.authenticate(new Request("http://t/x"))).toBeNull();
  });
});

describe("service authentication with a JWKS", () => {
  let server: Server;
  let url: string;
  const keys: Record<string, CryptoKey> = {};

  beforeAll(async () => {
    const rsa = await generateKeyPair("RS256", { extractable: true });
    const ec = await generateKeyPair("ES256", { extractable: true });
    keys.rsa = rsa.privateKey;
    keys.ec = ec.privateKey;
    // The same RSA key, as a PS256 signer: a token an RS256-only key must not verify.
    keys.rsaPss = (await importJWK(
      { ...(await exportJWK(rsa.privateKey)), alg: "PS256" },
      "PS256",
    )) as CryptoKey;
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: "rsa", alg: "RS256", use: "sig" },
        // Published without `alg`: never usable, whatever the token claims.
        { ...(await exportJWK(ec.publicKey)), kid: "ec", use: "sig" },
      ],
    };
    server = createServer((_, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const token = (alg: string, kid: string, key: CryptoKey) =>
    new SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg, kid })
      .setSubject("ops")
      .setExpirationTime("5m")
      .sign(key);

  it("accepts a token in its key's own algorithm and refuses any other", async () => {
    const auth = createServiceAuth(loadConfig({ AUTH_JWKS_URL: url }), {
      service: "t",
      embedded: false,
      demoRoles: [],
    });
    expect(await auth.authenticate(withToken(`Bearer ${await token("RS256", "rsa", keys.rsa!)}`))).toEqual({
      id: "ops",
      roles: ["admin"],
    });
    expect(
      await auth.authenticate(withToken(`Bearer ${await token("PS256", "rsa", keys.rsaPss!)}`)),
    ).toBeNull();
    expect(await auth.authenticate(withToken(`Bearer ${await token("ES256", "ec", keys.ec!)}`))).toBeNull();
  });
});

describe("service authentication without JWT settings", () => {
  it("lets anonymous callers into the local demo only, and says so", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const demo = createServiceAuth(loadConfig({}), {
      service: "demo",
      embedded: true,
      demoRoles: ["writer"],
    });
    expect(await demo.authenticate(new Request("http://t/x"))).toEqual({
      id: "anonymous",
      roles: ["writer"],
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/anonymous callers are allowed/);
    const deployed = createServiceAuth(loadConfig({}), {
      service: "prod",
      embedded: false,
      demoRoles: ["writer"],
    });
    expect(await deployed.authenticate(new Request("http://t/x"))).toBeNull();
    expect(String(warn.mock.calls[1]![0])).toMatch(/every request is refused/);
    warn.mockRestore();
  });
});

describe("registry host authentication", () => {
  it("pins HS256 for REGISTRY_JWT_SECRET: an HS512 token signed with the same secret is refused", async () => {
    const { composeRegistry: createRegistryService } = await import("@portside/service-kit/registry");
    const registry = await createRegistryService(
      loadConfig({ LOG_LEVEL: "silent", REGISTRY_JWT_SECRET: TEST_AUTH_SECRET, REGISTRY_ANONYMOUS: "none" }),
    );
    const get = async (token: string) =>
      (
        await registry.handler(
          new Request("http://t/entityType", { headers: { authorization: `Bearer ${token}` } }),
        )
      ).status;
    expect(await get(await sign({ org: "acme", roles: ["read"] }))).toBe(200);
    expect(await get(await sign({ org: "acme", roles: ["read"] }, "HS512"))).toBe(401);
    await registry.close?.();
  });
});
