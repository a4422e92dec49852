import type { z } from "zod";
import { type CommonConfig, commonConfigSchema } from "../config/common-config.js";
import { parseConfig } from "../config/load-config.js";
import { ServiceKitError, ServiceKitErrorCode } from "../errors.js";
import type { AnyDomainModule, DomainModule } from "./domain-module.js";

/**
 * The config schema of a service: the shared keys and each domain's own. Its type names only the
 * shared keys (each domain reads its own from the same parsed object). Two domains declaring the
 * same key, or a domain redeclaring a shared one, is an error: one would silently win.
 */
export function serviceConfigSchema(domains: readonly AnyDomainModule[]): typeof commonConfigSchema {
  const owners = new Map<string, string>(Object.keys(commonConfigSchema.shape).map((key) => [key, "shared"]));
  for (const domain of domains) {
    for (const key of Object.keys(domain.configSchema.shape)) {
      const owner = owners.get(key);
      if (owner !== undefined && owner !== domain.name) {
        throw new ServiceKitError(
          ServiceKitErrorCode.invalidConfig,
          `Config key ${key} is declared by both ${owner} and ${domain.name}`,
          { details: { key, domains: [owner, domain.name] } },
        );
      }
      owners.set(key, domain.name);
    }
  }
  const shapes: z.ZodRawShape = Object.assign({}, ...domains.map((domain) => domain.configSchema.shape));
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
