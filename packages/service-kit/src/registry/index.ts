import { domainRoutes } from "../manifest/domains.js";
import type { DomainModule } from "../runtime/domain-module.js";
import { composeRegistry } from "./compose.js";
import { registryConfigSchema } from "./config.js";
import { registrySecrets } from "./secrets.js";

export { composeRegistry } from "./compose.js";
export { type RegistryConfig, registryConfigSchema } from "./config.js";
export { registrySecrets } from "./secrets.js";

/** The registry as a domain of a service: `/entityType`, `/entity`. */
export const registryDomain: DomainModule<typeof registryConfigSchema> = {
  name: "registry",
  routes: domainRoutes.registry,
  configSchema: registryConfigSchema,
  secrets: registrySecrets,
  compose: composeRegistry,
};
