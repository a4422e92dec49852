import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** Keys every service shares. Absent AWS and database keys select the embedded defaults. */
export const commonConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DYNAMODB_TABLES_USERID: optionalText.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_.-]{1,64}$/,
        "letters, digits, '_', '.', '-' only (it prefixes DynamoDB table names)",
      )
      .optional(),
  ),
  AWS_REGION: optionalText,
  AWS_ENDPOINT_URL: optionalText.pipe(z.url().optional()),
  /** DynamoDB's own endpoint (dynoxide locally); AWS_ENDPOINT_URL when unset. */
  AWS_ENDPOINT_URL_DYNAMODB: optionalText.pipe(z.url().optional()),
  EVENT_BUS_NAME: z.string().trim().min(1).default("default"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type CommonConfig = z.infer<typeof commonConfigSchema>;

/** The DynamoDB endpoint to use, if not AWS's own: its per-service key, else the shared one. */
export function dynamoDbEndpoint(config: CommonConfig): string | undefined {
  return config.AWS_ENDPOINT_URL_DYNAMODB ?? config.AWS_ENDPOINT_URL;
}
