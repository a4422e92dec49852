import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ComposedDomain,
  composeDomains,
  composeService,
  createFileSecrets,
  type DomainModule,
  InvalidConfigError,
  localSecretsDir,
  oncePerInstance,
  ServiceKitError,
  serviceConfigSchema,
  stageSecrets,
} from "../src/index.js";
import { registryDomain } from "../src/registry/index.js";

/** A user's own domain: one key, one route answering with it; records when it is closed. */
function billingDomain(
  closed: string[] = [],
): DomainModule<z.ZodObject<{ BILLING_CURRENCY: z.ZodDefault<z.ZodString> }>> {
  return {
    name: "billing",
    routes: ["/invoices"],
    configSchema: z.object({ BILLING_CURRENCY: z.string().length(3).default("EUR") }),
    secrets: [
      { name: "billing-api-key", envName: "BILLING_CURRENCY", kind: "third-party", description: "test only" },
    ],
    async compose(config) {
      return {
        name: "billing",
        routes: ["/invoices"],
        adapters: { currency: config.BILLING_CURRENCY },
        handler: async () => Response.json({ currency: config.BILLING_CURRENCY }),
        async close() {
          closed.push("billing");
        },
      };
    },
  };
}

const failing: DomainModule = {
  name: "broken",
  routes: ["/broken"],
  configSchema: z.object({}),
  secrets: [],
  compose: async () => {
    throw new Error("cannot start");
  },
};

describe("composeService", () => {
  it("composes a kit domain and a user's own behind one router, with /healthz and the parsed config", async () => {
    const service = await composeService({
      name: "shop/api",
      domains: [registryDomain, billingDomain()],
      env: { BILLING_CURRENCY: "GBP", LOG_LEVEL: "silent" },
    });
    const health = (await (await service.handler(new Request("http://x/healthz"))).json()) as {
      service: string;
      domains: { name: string; adapters: Record<string, string> }[];
    };
    expect(health.service).toBe("shop/api");
    expect(health.domains.map((d) => [d.name, d.adapters.store ?? d.adapters.currency])).toEqual([
      ["registry", "memory"],
      ["billing", "GBP"],
    ]);
    expect(await (await service.handler(new Request("http://x/invoices"))).json()).toEqual({
      currency: "GBP",
    });
    expect(service.config.LOG_LEVEL).toBe("silent");
    await service.close();
  });

  it("names every bad key of every domain at once", async () => {
    const attempt = composeService({
      name: "shop/api",
      domains: [registryDomain, billingDomain()],
      env: { BILLING_CURRENCY: "pounds", REGISTRY_ANONYMOUS: "everyone", LOG_LEVEL: "loud" },
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).issues.map((i) => i.key).sort()).toEqual([
      "BILLING_CURRENCY",
      "LOG_LEVEL",
      "REGISTRY_ANONYMOUS",
    ]);
  });

  it("refuses two domains declaring one key, rather than letting one silently win", () => {
    const clash = { ...billingDomain(), name: "billing-eu" };
    expect(() => serviceConfigSchema([billingDomain(), clash])).toThrow(
      "Config key BILLING_CURRENCY is declared by both billing and billing-eu",
    );
    const shadow = { ...billingDomain(), configSchema: z.object({ LOG_LEVEL: z.string() }) };
    expect(() => serviceConfigSchema([shadow])).toThrow(ServiceKitError);
  });

  it("fills a domain's secrets the environment does not set from the provider, and the environment wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-secrets-"));
    const secrets = createFileSecrets({ dir });
    await secrets.put!("billing-api-key", "USD");
    const fromFile = await composeService({ name: "s", domains: [billingDomain()], env: {}, secrets });
    expect(fromFile.config).toMatchObject({ BILLING_CURRENCY: "USD" });
    const fromEnv = await composeService({
      name: "s",
      domains: [billingDomain()],
      env: { BILLING_CURRENCY: "JPY" },
      secrets,
    });
    expect(fromEnv.config).toMatchObject({ BILLING_CURRENCY: "JPY" });
  });

  it("closes what it composed when a later domain fails to start", async () => {
    const closed: string[] = [];
    const config = serviceConfigSchema([billingDomain(closed), failing]).parse({});
    await expect(composeDomains(config, [billingDomain(closed), failing])).rejects.toThrow("cannot start");
    expect(closed).toEqual(["billing"]);
  });
});

describe("oncePerInstance", () => {
  it("builds once and keeps it, but retries a build that failed", async () => {
    let calls = 0;
    const get = oncePerInstance(async () => {
      calls += 1;
      if (calls === 1) throw new Error("cold start failed");
      return { built: calls };
    });
    await expect(get()).rejects.toThrow("cold start failed");
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toEqual({ built: 2 });
    expect(b).toBe(a);
    expect(calls).toBe(2);
  });
});

describe("stageSecrets", () => {
  it("reads the stage's local files outside Lambda (the stage is DYNAMODB_TABLES_USERID, else dev)", async () => {
    const home = mkdtempSync(join(tmpdir(), "kit-stage-"));
    await createFileSecrets({ dir: localSecretsDir("qa", { XDG_CONFIG_HOME: home }) }).put!(
      "x-secret",
      "from-qa",
    );
    const qa = await stageSecrets({ XDG_CONFIG_HOME: home, DYNAMODB_TABLES_USERID: "qa" });
    expect(await qa.get("x-secret")).toBe("from-qa");
    const dev = await stageSecrets({ XDG_CONFIG_HOME: home });
    expect(await dev.get("x-secret")).toBeUndefined();
    expect(dev.description).toContain(join(home, "portside", "dev"));
  });
});

/** Type-level: a composed domain's name is any string (users add their own domains). */
export const userDomain: ComposedDomain = {
  name: "billing",
  routes: [],
  adapters: {},
  handler: async () => new Response(),
};
