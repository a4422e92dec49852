import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commonConfigSchema, parseConfig } from "@portside/service-kit";
import { djRoomConfigSchema } from "@portside/service-kit/dj-room";
import { eventRecorderConfigSchema } from "@portside/service-kit/event-recorder";
import { profileDepsConfigSchema } from "@portside/service-kit/profile-deps";
import { registryConfigSchema } from "@portside/service-kit/registry";
import { z } from "zod";

/** The one schema both hosts read the environment through: the shared keys and every domain's. */
export const configSchema = z.object({
  ...commonConfigSchema.shape,
  ...registryConfigSchema.shape,
  ...eventRecorderConfigSchema.shape,
  ...profileDepsConfigSchema.shape,
  ...djRoomConfigSchema.shape,
});

export type Config = ReturnType<typeof configSchema.parse>;

/** The Rez benchmark repository the clone carries, which the demo's profile-deps serves by default. */
const BENCHMARK_REPOSITORY = fileURLToPath(
  new URL("../../../data/rez-benchmark/packages.json", import.meta.url),
);

/**
 * Parses the environment, failing once with every missing or invalid key named
 * (`InvalidConfigError`). On embedded defaults, profile-deps serves the Rez benchmark data.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseConfig(configSchema, env);
  if (
    config.PROFILE_DEPS_REPOSITORY === undefined &&
    config.DYNAMODB_TABLES_USERID === undefined &&
    existsSync(BENCHMARK_REPOSITORY)
  )
    return { ...config, PROFILE_DEPS_REPOSITORY: BENCHMARK_REPOSITORY };
  return config;
}
