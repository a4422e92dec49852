import { z } from "zod";
import type { CommonConfig } from "../common-config.js";
import type { ComposedService } from "../service.js";

export const eventRecorderConfigSchema = z.object({});

export type EventRecorderConfig = CommonConfig;

export async function createEventRecorderService(_config: EventRecorderConfig): Promise<ComposedService> {
  return {
    name: "event-recorder",
    adapters: {},
    handler: async () => Response.json({ error: { code: "not_found", message: "not composed yet" } }, { status: 404 }),
  };
}
