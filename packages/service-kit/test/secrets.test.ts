import { chmodSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createChainedSecrets,
  createEnvSecrets,
  createFileSecrets,
  ensureSecrets,
  MissingSecretError,
  readSecret,
  type SecretSpec,
  type SecretsProvider,
  ServiceKitError,
  secretsFor,
  secretsToEnv,
} from "../src/index.js";

const fresh = () => createFileSecrets({ dir: join(mkdtempSync(join(tmpdir(), "kit-secrets-")), "dev") });

function memorySource(values: Record<string, string>): SecretsProvider {
  return { description: "test source", get: async (name) => values[name] };
}

describe("local file secrets", () => {
  it("stores each secret readable by its owner only, in a folder only the owner can enter", async () => {
    const secrets = fresh();
    await secrets.put!("api-key", "s3cret");
    expect(await secrets.get("api-key")).toBe("s3cret");
    const dir = secrets.description.slice("files (".length, -1);
    expect(statSync(join(dir, "api-key")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await secrets.get("other")).toBeUndefined();
  });

  it("refuses a secret file others can read, saying how to fix it", async () => {
    const secrets = fresh();
    await secrets.put!("api-key", "s3cret");
    const file = join(secrets.description.slice("files (".length, -1), "api-key");
    chmodSync(file, 0o644);
    await expect(secrets.get("api-key")).rejects.toThrow(`chmod 600 ${file}`);
  });

  it("refuses names that could leave the folder", async () => {
    await expect(fresh().get("../passwd")).rejects.toBeInstanceOf(ServiceKitError);
  });
});

describe("chained and environment secrets", () => {
  it("answers from the first provider that holds the secret and writes to the first that can store", async () => {
    const files = fresh();
    await files.put!("spotify-client-id", "from-file");
    const chain = createChainedSecrets([createEnvSecrets({ SPOTIFY_CLIENT_ID: "from-env" }), files]);
    expect(await chain.get("spotify-client-id")).toBe("from-env");
    await chain.put!("dj-room-session-secret", "x".repeat(48));
    expect(await files.get("dj-room-session-secret")).toBe("x".repeat(48));
    expect(chain.description).toBe(`environment > ${files.description}`);
  });

  it("names the command that creates a missing secret", async () => {
    const [spec] = secretsFor(["registry"]);
    const error = await readSecret(fresh(), spec!, "portside secrets ensure --stage dev").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingSecretError);
    expect((error as Error).message).toMatch(
      /Secret 'registry-jwt-secret' is missing .* Create it with: portside secrets ensure --stage dev/,
    );
  });
});

describe("ensureSecrets", () => {
  const specs = secretsFor(["dj-room", "registry"]);
  const source = memorySource({ "spotify-client-id": "client", "spotify-client-secret": "shh" });

  it("generates local secrets, copies third-party ones, and changes nothing the second time", async () => {
    const target = fresh();
    const first = await ensureSecrets({ specs, target, source, command: "portside secrets ensure" });
    expect(Object.fromEntries(first.map((s) => [s.name, s.action]))).toEqual({
      "dj-room-session-secret": "generate",
      "spotify-token-key": "generate",
      "spotify-client-id": "copy",
      "spotify-client-secret": "copy",
      "registry-jwt-secret": "generate",
    });
    const sessionSecret = await target.get("dj-room-session-secret");
    expect(sessionSecret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(Buffer.from((await target.get("spotify-token-key"))!, "base64")).toHaveLength(32);
    const second = await ensureSecrets({ specs, target, source, command: "portside secrets ensure" });
    expect(second.every((s) => s.action === "keep")).toBe(true);
    expect(await target.get("dj-room-session-secret")).toBe(sessionSecret);
    const env = await secretsToEnv(target, specs, { SPOTIFY_CLIENT_ID: "already-set" });
    expect(env).toMatchObject({
      SPOTIFY_CLIENT_ID: "already-set",
      SPOTIFY_CLIENT_SECRET: "shh",
      DJ_ROOM_SESSION_SECRET: sessionSecret,
    });
  });

  it("writes nothing on a dry run", async () => {
    const target = fresh();
    const plan = await ensureSecrets({
      specs,
      target,
      source,
      dryRun: true,
      command: "portside secrets ensure",
    });
    expect(plan.filter((s) => s.action === "generate")).toHaveLength(3);
    for (const spec of specs) expect(await target.get(spec.name)).toBeUndefined();
  });

  it("writes nothing when a third-party secret is missing everywhere, and says where to put it", async () => {
    const target = fresh();
    const only: SecretSpec[] = secretsFor(["dj-room"]);
    const error = await ensureSecrets({
      specs: only,
      target,
      source: memorySource({ "spotify-client-id": "client" }),
      command: "portside secrets ensure --stage dev --from-aws",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSecretError);
    expect((error as MissingSecretError).secret).toBe("spotify-client-secret");
    expect((error as Error).message).toContain("then run portside secrets ensure --stage dev --from-aws");
    for (const spec of only) expect(await target.get(spec.name)).toBeUndefined();
  });
});
