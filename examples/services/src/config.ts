import { z } from "zod";
import { commonConfigSchema } from "./common-config.js";
import { djRoomConfigSchema } from "./services/dj-room.js";
import { eventRecorderConfigSchema } from "./services/event-recorder.js";
import { profileDepsConfigSchema } from "./services/profile-deps.js";
import { registryConfigSchema } from "./services/registry.js";

/** The one schema both hosts read the environment through. */
export const configSchema = z.object({
  ...commonConfigSchema.shape,
  ...registryConfigSchema.shape,
  ...eventRecorderConfigSchema.shape,
  ...profileDepsConfigSchema.shape,
  ...djRoomConfigSchema.shape,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly issues: { key: string; message: string }[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.key}: ${i.message}`).join("\n")}\nSee .env.sample.`,
    );
  }
}

/** Parses the environment, failing once with every missing or invalid key named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ key: issue.path.join(".") || "(root)", message: issue.message })),
  );
}
