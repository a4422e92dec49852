import { z } from "zod";
import type { CommonConfig } from "../common-config.js";
import type { ComposedService } from "../service.js";

export const djRoomConfigSchema = z.object({});

export type DjRoomConfig = CommonConfig;

export async function createDjRoomService(_config: DjRoomConfig): Promise<ComposedService> {
  return {
    name: "dj-room",
    adapters: {},
    handler: async () => Response.json({ error: { code: "not_found", message: "not composed yet" } }, { status: 404 }),
  };
}
