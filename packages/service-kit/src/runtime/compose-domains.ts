import type { CommonConfig } from "../config/common-config.js";
import type { AnyDomainModule, ComposedDomain } from "./domain-module.js";

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
