import type { FetchHandler } from "@portside/http";
import type { z } from "zod";
import { type CommonConfig, commonConfigSchema } from "../config/common-config.js";
import { parseConfig } from "../config/load-config.js";
import type { ComposedDomain, DomainModule } from "./domain-module.js";
import { createServiceRouter } from "./service-router.js";

/** A domain module of any config; what a service's list of domains holds. */
// biome-ignore lint/suspicious/noExplicitAny: each module reads its own keys of one shared config.
export type AnyDomainModule = DomainModule<any, ComposedDomain>;

/** The config schema of a service: the shared keys and each domain's own. */
export function serviceConfigSchema(domains: readonly AnyDomainModule[]) {
  const shapes: z.ZodRawShape = Object.assign({}, ...domains.map((domain) => domain.configSchema.shape));
  // Typed as the shared keys: each domain reads its own from the same parsed object.
  return commonConfigSchema.extend(shapes) as unknown as typeof commonConfigSchema;
}

/** The config one domain reads (the shared keys and its own), parsed from the environment. */
export function parseDomainConfig<Schema extends z.ZodObject>(
  domain: Pick<DomainModule<Schema>, "configSchema">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): CommonConfig & z.output<Schema> {
  return parseConfig(commonConfigSchema.extend(domain.configSchema.shape), env) as CommonConfig &
    z.output<Schema>;
}

/** A composed service: one fetch handler (`GET /healthz` included), its domains, and what starts and stops them. */
export interface ComposedServiceHandle {
  readonly name: string;
  readonly handler: FetchHandler;
  readonly domains: readonly ComposedDomain[];
  /** Starts the domains' background work (pollers, timers); long-running hosts only. */
  start(): Promise<void>;
  /** Stops every domain's background work and releases its connections. */
  close(): Promise<void>;
}

/** Composes each domain from one parsed config, closing what was composed if one fails. */
export async function composeDomains(
  config: CommonConfig,
  domains: readonly AnyDomainModule[],
): Promise<ComposedDomain[]> {
  const composed: ComposedDomain[] = [];
  try {
    for (const domain of domains) composed.push(await domain.compose(config));
  } catch (error) {
    await Promise.allSettled(composed.map((d) => d.close?.()));
    throw error;
  }
  return composed;
}

/** Options of `composeService`. */
export interface ComposeServiceOptions {
  /** The service's manifest name, as `/healthz` reports it. */
  readonly name: string;
  readonly domains: readonly AnyDomainModule[];
  /** Default: `process.env`. Nothing configured selects every domain's embedded defaults. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the service's config from the environment (every bad key named at once, as an
 * `InvalidConfigError`) and composes its domains into one handler: embedded defaults when
 * nothing is configured, AWS adapters when the config names them.
 */
export async function composeService(options: ComposeServiceOptions): Promise<ComposedServiceHandle> {
  const config: CommonConfig = parseConfig(serviceConfigSchema(options.domains), options.env ?? process.env);
  const domains = await composeDomains(config, options.domains);
  return {
    name: options.name,
    handler: createServiceRouter(options.name, domains),
    domains,
    async start() {
      for (const domain of domains) await domain.start?.();
    },
    async close() {
      await Promise.allSettled(domains.map((domain) => domain.close?.()));
    },
  };
}
