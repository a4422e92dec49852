import type { z } from "zod";
import { InvalidConfigError } from "../errors.js";

/** Parses the environment with a config schema, failing once with every missing or invalid key named. */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => ({ key: issue.path.join(".") || "(root)", message: issue.message })),
  );
}
