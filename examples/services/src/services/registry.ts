import { z } from "zod";
import type { CommonConfig } from "../common-config.js";
import type { ComposedService } from "../service.js";

export const registryConfigSchema = z.object({});

export type RegistryConfig = CommonConfig;

export async function createRegistryService(_config: RegistryConfig): Promise<ComposedService> {
  return {
    name: "registry",
    adapters: {},
    handler: async () => Response.json({ error: { code: "not_found", message: "not composed yet" } }, { status: 404 }),
  };
}
