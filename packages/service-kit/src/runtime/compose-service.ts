import type { FetchHandler } from "@portside/http";
import type { CommonConfig } from "../config/common-config.js";
import { parseConfig } from "../config/load-config.js";
import type { SecretsProvider } from "../ports/secrets-provider.js";
import { secretsToEnv } from "../secrets/ensure-secrets.js";
import { composeDomains } from "./compose-domains.js";
import type { AnyDomainModule, ComposedDomain } from "./domain-module.js";
import { serviceConfigSchema } from "./service-config.js";
import { createServiceRouter } from "./service-router.js";

/** A composed service: one fetch handler (`GET /healthz` included), its domains, and what starts and stops them. */
export interface ComposedServiceHandle {
  readonly name: string;
  readonly handler: FetchHandler;
  readonly domains: readonly ComposedDomain[];
  /** The parsed config (shared keys typed), e.g. for the host's server timeouts. */
  readonly config: CommonConfig;
  /** Starts the domains' background work (pollers, timers); long-running hosts only. */
  start(): Promise<void>;
  /** Stops every domain's background work and releases its connections. */
  close(): Promise<void>;
}

/** Options of `composeService`. */
export interface ComposeServiceOptions {
  /** The service's manifest name, as `/healthz` reports it. */
  readonly name: string;
  readonly domains: readonly AnyDomainModule[];
  /** Default: `process.env`. Nothing configured selects every domain's embedded defaults. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Where the domains' secrets (`DomainModule.secrets`) come from when `env` does not set them,
   * e.g. `await stageSecrets(env)`: local files in dev, Secrets Manager on Lambda.
   */
  readonly secrets?: SecretsProvider;
}

/**
 * Reads the service's config from the environment and its secrets (every bad key named at once,
 * as an `InvalidConfigError`) and composes its domains into one handler: embedded defaults when
 * nothing is configured, AWS adapters when the config names them.
 */
export async function composeService(options: ComposeServiceOptions): Promise<ComposedServiceHandle> {
  const env = options.env ?? process.env;
  const withSecrets = options.secrets
    ? await secretsToEnv(
        options.secrets,
        options.domains.flatMap((domain) => domain.secrets),
        { ...env },
      )
    : env;
  const config: CommonConfig = parseConfig(serviceConfigSchema(options.domains), withSecrets);
  const domains = await composeDomains(config, options.domains);
  return {
    name: options.name,
    handler: createServiceRouter(options.name, domains),
    domains,
    config,
    async start() {
      for (const domain of domains) await domain.start?.();
    },
    async close() {
      await Promise.allSettled(domains.map((domain) => domain.close?.()));
    },
  };
}
