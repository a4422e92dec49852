import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwtAuthenticator } from "@portside/registry-core/http";
import { createLocalJWKSet, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  createFileSecrets,
  publicJwks,
  readJwtKeySet,
  rotateJwtKeys,
  type SecretsProvider,
} from "../src/index.js";

async function tokenSignedByCurrentKey(secrets: SecretsProvider): Promise<string> {
  const [current] = (await readJwtKeySet(secrets)).keys;
  const key = await importJWK(current!, current!.alg);
  return new SignJWT({ org: "acme", roles: ["read"] })
    .setProtectedHeader({ alg: current!.alg, kid: current!.kid })
    .setSubject("ada")
    .setExpirationTime("10m")
    .sign(key);
}

async function registryAccepts(secrets: SecretsProvider, token: string): Promise<boolean> {
  const jwks = publicJwks(await readJwtKeySet(secrets));
  const authenticate = jwtAuthenticator({ key: createLocalJWKSet(jwks), algorithms: ["ES256"] });
  const request = new Request("http://registry.test/entity", {
    headers: { authorization: `Bearer ${token}` },
  });
  return authenticate(request).then(
    (actor) => actor?.id === "ada",
    () => false,
  );
}

describe("rotate-jwt", () => {
  it("keeps a token signed by the previous key verifiable until the next rotation retires it", async () => {
    const secrets = createFileSecrets({ dir: join(mkdtempSync(join(tmpdir(), "kit-jwt-")), "dev") });
    const first = await rotateJwtKeys(secrets);
    const oldToken = await tokenSignedByCurrentKey(secrets);
    expect(await registryAccepts(secrets, oldToken)).toBe(true);

    const second = await rotateJwtKeys(secrets);
    expect(second.previous).toBe(first.current);
    expect(second.jwks.keys.map((k) => k.kid)).toEqual([second.current, first.current]);
    expect(second.jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(await registryAccepts(secrets, oldToken)).toBe(true);
    expect(await registryAccepts(secrets, await tokenSignedByCurrentKey(secrets))).toBe(true);

    const third = await rotateJwtKeys(secrets);
    expect(third.retired).toEqual([first.current]);
    expect(await registryAccepts(secrets, oldToken)).toBe(false);
  });

  it("changes nothing on a dry run", async () => {
    const secrets = createFileSecrets({ dir: join(mkdtempSync(join(tmpdir(), "kit-jwt-")), "dev") });
    await rotateJwtKeys(secrets, { dryRun: true });
    expect((await readJwtKeySet(secrets)).keys).toEqual([]);
  });
});
