import { z } from "zod";
import type { CommonConfig } from "../common-config.js";
import type { ComposedService } from "../service.js";

export const profileDepsConfigSchema = z.object({});

export type ProfileDepsConfig = CommonConfig;

export async function createProfileDepsService(_config: ProfileDepsConfig): Promise<ComposedService> {
  return {
    name: "profile-deps",
    adapters: {},
    handler: async () => Response.json({ error: { code: "not_found", message: "not composed yet" } }, { status: 404 }),
  };
}
